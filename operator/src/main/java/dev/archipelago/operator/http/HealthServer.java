package dev.archipelago.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP endpoints: {@code /healthz} (the process is alive), {@code /readyz} (the
 * operator's informers are synced and its controllers started) and {@code /metrics} (Prometheus).
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", ex -> respond(ex, 200, "ok\n", "text/plain"));
    server.createContext(
        "/readyz",
        ex -> {
          boolean ok = ready.getAsBoolean();
          respond(ex, ok ? 200 : 503, ok ? "ready\n" : "not ready\n", "text/plain");
        });
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "health-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int code, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
