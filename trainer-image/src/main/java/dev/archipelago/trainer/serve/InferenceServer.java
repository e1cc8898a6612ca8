package dev.archipelago.trainer.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code archipelago serve} (JDK HTTP server): {@code POST /v1/generate}, {@code
 * GET /v1/models}, {@code POST /v1/velocity} (expert role), {@code /healthz}, {@code /readyz},
 * {@code /metrics}. It starts before the models load and serves them once {@link #ready} is called.
 * Errors never escape a handler: bad input is a 400 naming the field, an unreachable expert a 503
 * naming it, a generation past its deadline a 504, anything else a 500.
 */
public final class InferenceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
  private static final int MAX_JSON_BODY = 64 * 1024;

  /** Handler threads besides those that may wait for the model thread. */
  private static final int SPARE_HANDLER_THREADS = 8;

  /** Generations admitted at once (running or queued for the model thread) by default. */
  public static final int DEFAULT_MAX_QUEUED = 16;

  static {
    // The JDK server leaves Nagle's algorithm on by default: each small answer would then wait
    // for the client's delayed ACK (~40 ms), which dominates a router's per-step expert calls.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final ServingMetrics metrics;
  private final AtomicReference<ServingState> state = new AtomicReference<>();
  private final ModelThread modelThread = new ModelThread();
  private final int maxVelocityValues;

  /**
   * @param maxVelocityValues the most floats a {@code /v1/velocity} body may carry
   */
  public InferenceServer(InetSocketAddress address, ServingMetrics metrics, int maxVelocityValues)
      throws IOException {
    this(address, metrics, maxVelocityValues, DEFAULT_MAX_QUEUED);
  }

  /**
   * @param maxQueued generations admitted at once; beyond that {@code /v1/generate} answers 429
   *     with Retry-After, so waiting requests never take every handler thread from the probes
   */
  public InferenceServer(
      InetSocketAddress address, ServingMetrics metrics, int maxVelocityValues, int maxQueued)
      throws IOException {
    this.metrics = metrics;
    this.maxVelocityValues = maxVelocityValues;
    this.server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            maxQueued + SPARE_HANDLER_THREADS,
            r -> {
              Thread t = new Thread(r, "serve-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    route("/healthz", ex -> HttpExchanges.text(ex, 200, "ok\n"));
    route("/readyz", this::readyz);
    route(
        "/metrics",
        ex ->
            HttpExchanges.send(
                ex,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    route("/v1/models", this::models);
    Semaphore admitted = new Semaphore(maxQueued);
    metrics.admittedGenerations(() -> maxQueued - admitted.availablePermits());
    route(
        "/v1/generate",
        new GenerateHandler(this::loaded, modelThread, metrics, MAX_JSON_BODY, admitted));
    route("/v1/velocity", this::velocity);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Starts serving the loaded models. */
  public void ready(ServingState loaded) {
    state.set(loaded);
  }

  private ServingState loaded() {
    ServingState current = state.get();
    if (current == null) {
      throw new NotReadyException("the models are still loading");
    }
    return current;
  }

  /** Why the server cannot take traffic, or null when it can. */
  String readinessProblem() {
    ServingState current = state.get();
    return current == null ? "the models are still loading" : current.readiness().get();
  }

  private void readyz(HttpExchange exchange) throws IOException {
    HttpExchanges.readiness(exchange, readinessProblem());
  }

  private void models(HttpExchange exchange) throws IOException {
    if (HttpExchanges.requireMethod(exchange, "GET")) {
      HttpExchanges.json(exchange, 200, ModelsView.of(loaded().facts()));
    }
  }

  private void velocity(HttpExchange exchange) throws IOException {
    if (!HttpExchanges.requireMethod(exchange, "POST")) {
      return;
    }
    VelocityModel expert = loaded().expert();
    if (expert == null) {
      HttpExchanges.error(exchange, 404, "/v1/velocity is served by the expert role only", null);
      return;
    }
    long start = System.nanoTime();
    VelocityQuery query;
    try (var body = exchange.getRequestBody()) {
      query = VelocityWire.decodeQuery(body, maxVelocityValues);
    } catch (IOException | IllegalArgumentException e) {
      throw new BadRequestException("body", "bad velocity query: " + e.getMessage());
    }
    VelocityQuery accepted = query;
    Optional<ModelScheduler> scheduler = loaded().scheduler();
    float[] velocity;
    if (scheduler.isPresent()) {
      try (ModelScheduler.Session session = scheduler.get().session()) {
        velocity = expert.velocity(accepted);
      }
    } else {
      velocity = modelThread.run(() -> expert.velocity(accepted));
    }
    byte[] answer = VelocityWire.encode(velocity);
    metrics.velocityServed(query.count(), java.time.Duration.ofNanos(System.nanoTime() - start));
    HttpExchanges.send(exchange, 200, VelocityWire.CONTENT_TYPE, answer);
  }

  private void route(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          try {
            if (!exchange.getRequestURI().getPath().equals(path)) {
              HttpExchanges.error(exchange, 404, "no such endpoint", null);
              return;
            }
            handler.handle(exchange);
          } catch (BadRequestException e) {
            metrics.badRequest(e.field());
            fail(exchange, 400, e.getMessage(), e.field());
          } catch (NotReadyException | ExpertUnavailableException e) {
            fail(exchange, 503, e.getMessage(), null);
          } catch (Deadline.DeadlineExceededException e) {
            fail(exchange, 504, e.getMessage(), null);
          } catch (RuntimeException | IOException | Error e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), path, e);
            fail(exchange, 500, "internal error: " + e, null);
          } finally {
            exchange.close();
          }
        });
  }

  /** Answers with an error unless an answer is already under way (then the client sees a cut). */
  private static void fail(HttpExchange exchange, int status, String message, String field)
      throws IOException {
    if (exchange.getResponseCode() == -1) {
      HttpExchanges.error(exchange, status, message, field);
    } else {
      LOG.warn("could not report {} to the client, the answer had begun: {}", status, message);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    modelThread.close();
  }

  /** The models are not loaded yet. */
  static final class NotReadyException extends RuntimeException {
    NotReadyException(String message) {
      super(message);
    }
  }
}
