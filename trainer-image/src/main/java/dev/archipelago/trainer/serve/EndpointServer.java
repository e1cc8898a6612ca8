package dev.archipelago.trainer.serve;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server of fixed {@link Route}s on Vert.x. Its event loop reads every request and
 * answers the cheap routes itself, so probes and metrics never queue behind work; blocking routes
 * run on a pool of handler threads and their answers are written back on the event loop. A client
 * that disconnects before its answer sets its call's {@link Cancellation}, which a generation
 * checks before every model evaluation (the JDK's built-in server has no way to notice this).
 */
final class EndpointServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointServer.class);
  private static final long START_SECONDS = 30;
  private static final long STOP_SECONDS = 10;

  private final Vertx vertx;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final Map<String, Route> routes;
  private final Function<Exception, HttpAnswer> failures;

  /**
   * @param name names the threads ({@code name-loop}, {@code name-N})
   * @param handlerThreads threads for the blocking routes
   * @param failures the answer for an exception an endpoint threw; null for none (the client is
   *     gone)
   */
  EndpointServer(
      String name,
      InetSocketAddress address,
      Map<String, Route> routes,
      int handlerThreads,
      Function<Exception, HttpAnswer> failures)
      throws IOException {
    this.routes = Map.copyOf(routes);
    this.failures = failures;
    this.handlers = Executors.newFixedThreadPool(handlerThreads, daemonThreads(name));
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                // Serve no files: no cache directory is made under a read-only root.
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    // Small answers must not wait for the client's delayed ACK (~40 ms with Nagle's algorithm).
    // HTTP/1.1 only: an h2c upgrade (which the JDK's HttpClient asks for by default) would switch
    // the connection to HTTP/2 cleartext, which neither the probes nor the experts' callers need,
    // and under which JDK 17's client was seen to wait past its request timeout.
    this.server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(address.getHostString())
                .setPort(address.getPort())
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setHttp2ClearTextEnabled(false));
    server.requestHandler(this::receive);
    try {
      server
          .listen()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("cannot listen on " + address + ": " + cause.getMessage(), cause);
    }
  }

  int port() {
    return server.actualPort();
  }

  private void receive(HttpServerRequest request) {
    Route route = routes.get(request.path());
    if (route == null) {
      write(request.response(), HttpAnswer.error(404, "no such endpoint", null));
      return;
    }
    if (route.method() != null && !route.method().equalsIgnoreCase(request.method().name())) {
      write(
          request.response(),
          HttpAnswer.error(405, "use " + route.method(), null).withHeader("Allow", route.method()));
      return;
    }
    Cancellation cancellation = new Cancellation();
    request.response().closeHandler(closed -> cancellation.cancel());
    new BoundedBody(request, route.maxBody())
        .read(
            body ->
                dispatch(request, route, new HttpCall(request.method().name(), body, cancellation)),
            tooLarge -> write(request.response(), failures.apply(tooLarge)));
  }

  private void dispatch(HttpServerRequest request, Route route, HttpCall call) {
    if (!route.blocking()) {
      write(request.response(), answer(route, call));
      return;
    }
    Context loop = Vertx.currentContext();
    try {
      handlers.execute(
          () -> {
            HttpAnswer answer = answer(route, call);
            loop.runOnContext(ignored -> write(request.response(), answer));
          });
    } catch (RejectedExecutionException e) {
      write(request.response(), HttpAnswer.error(503, "the server is shutting down", null));
    }
  }

  private HttpAnswer answer(Route route, HttpCall call) {
    try {
      return route.endpoint().answer(call);
    } catch (Exception e) {
      return failures.apply(e);
    } catch (Error e) {
      LOG.error("an endpoint failed", e);
      return HttpAnswer.error(500, "internal error: " + e, null);
    }
  }

  /** Writes {@code answer}, or closes the connection when there is none (its client is gone). */
  private static Future<Void> write(HttpServerResponse response, HttpAnswer answer) {
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    if (answer == null) {
      response.close();
      return Future.succeededFuture();
    }
    response.setStatusCode(answer.status());
    answer.headers().forEach(response::putHeader);
    response.putHeader("Content-Type", answer.contentType());
    return response.end(Buffer.buffer(answer.body()));
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    handlers.shutdownNow();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
