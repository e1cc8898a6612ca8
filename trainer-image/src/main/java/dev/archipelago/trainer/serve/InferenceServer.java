package dev.archipelago.trainer.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code archipelago serve}: {@code POST /v1/generate}, {@code GET /v1/models},
 * {@code POST /v1/velocity} (expert role), {@code /healthz}, {@code /readyz}, {@code /metrics}, on
 * an {@link EndpointServer}. It starts before the models load and serves them once {@link #ready}
 * is called. Errors never escape: bad input is a 400 naming the field, an unreachable expert a 503
 * naming it, a generation past its deadline a 504, anything else a 500; a generation whose client
 * disconnected stops at its next model evaluation and is not answered.
 */
public final class InferenceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
  private static final int MAX_JSON_BODY = 64 * 1024;

  /** Handler threads besides those the admitted generations may hold (velocity, models). */
  private static final int SPARE_HANDLER_THREADS = 8;

  /** Generations admitted at once (running or queued for the model thread) by default. */
  public static final int DEFAULT_MAX_QUEUED = 16;

  private final EndpointServer server;
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
   *     with Retry-After, so waiting requests never take every handler thread
   */
  public InferenceServer(
      InetSocketAddress address, ServingMetrics metrics, int maxVelocityValues, int maxQueued)
      throws IOException {
    this.metrics = metrics;
    this.maxVelocityValues = maxVelocityValues;
    Semaphore admitted = new Semaphore(maxQueued);
    metrics.admittedGenerations(() -> maxQueued - admitted.availablePermits());
    Map<String, Route> routes =
        Map.of(
            "/healthz", Route.cheap(null, call -> HttpAnswer.text(200, "ok\n")),
            "/readyz", Route.cheap(null, call -> HttpAnswer.readiness(readinessProblem())),
            "/metrics",
                Route.cheap(
                    "GET",
                    call ->
                        HttpAnswer.bytes(
                            200,
                            "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(StandardCharsets.UTF_8))),
            "/v1/models",
                Route.blocking(
                    "GET", 0, call -> HttpAnswer.json(200, ModelsView.of(loaded().facts()))),
            "/v1/generate",
                Route.blocking(
                    "POST",
                    MAX_JSON_BODY,
                    new GenerateHandler(this::loaded, modelThread, metrics, admitted)),
            "/v1/velocity",
                Route.blocking(
                    "POST", VelocityWire.maxQueryBytes(maxVelocityValues), this::velocity));
    this.server =
        new EndpointServer(
            "serve-http", address, routes, maxQueued + SPARE_HANDLER_THREADS, this::failure);
  }

  public int port() {
    return server.port();
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

  private HttpAnswer velocity(HttpCall call) {
    VelocityModel expert = loaded().expert();
    if (expert == null) {
      return HttpAnswer.error(404, "/v1/velocity is served by the expert role only", null);
    }
    long start = System.nanoTime();
    VelocityQuery query;
    try {
      query =
          VelocityWire.decodeQuery(
              new java.io.ByteArrayInputStream(call.body()), maxVelocityValues);
    } catch (IOException | IllegalArgumentException e) {
      throw new BadRequestException("body", "bad velocity query: " + e.getMessage());
    }
    Optional<ModelScheduler> scheduler = loaded().scheduler();
    float[] velocity;
    if (scheduler.isPresent()) {
      try (ModelScheduler.Session session = scheduler.get().session()) {
        velocity = expert.velocity(query);
      }
    } else {
      velocity = modelThread.run(() -> expert.velocity(query));
    }
    metrics.velocityServed(query.count(), Duration.ofNanos(System.nanoTime() - start));
    return HttpAnswer.bytes(200, VelocityWire.CONTENT_TYPE, VelocityWire.encode(velocity));
  }

  /** The answer for what an endpoint threw; null when its client is gone. */
  private HttpAnswer failure(Exception e) {
    if (e instanceof BadRequestException bad) {
      metrics.badRequest(bad.field());
      return HttpAnswer.error(400, bad.getMessage(), bad.field());
    }
    if (e instanceof NotReadyException || e instanceof ExpertUnavailableException) {
      return HttpAnswer.error(503, e.getMessage(), null);
    }
    if (e instanceof Deadline.DeadlineExceededException) {
      return HttpAnswer.error(504, e.getMessage(), null);
    }
    if (e instanceof Deadline.ClientGoneException) {
      return null;
    }
    LOG.error("a request failed", e);
    return HttpAnswer.error(500, "internal error: " + e, null);
  }

  @Override
  public void close() {
    server.close();
    modelThread.close();
  }

  /** The models are not loaded yet. */
  static final class NotReadyException extends RuntimeException {
    NotReadyException(String message) {
      super(message);
    }
  }
}
