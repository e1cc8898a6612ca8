package dev.archipelago.trainer.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /healthz} and {@code /readyz} on a port and threads of their own, so that the kubelet's
 * probes are answered in milliseconds however many generations are running or queued on the main
 * port (a probe stuck behind them fails its timeout, takes the pod out of its Service and, for
 * liveness, restarts it and its weight download).
 */
public final class ProbeServer implements AutoCloseable {
  private static final int THREADS = 2;

  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * @param readinessProblem why the server cannot take traffic, or null when it can
   */
  public ProbeServer(InetSocketAddress address, Supplier<String> readinessProblem)
      throws IOException {
    this.server = HttpServer.create(address, 0);
    this.executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "serve-probes");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/healthz",
        exchange -> {
          try (exchange) {
            HttpExchanges.text(exchange, 200, "ok\n");
          }
        });
    server.createContext(
        "/readyz",
        exchange -> {
          try (exchange) {
            HttpExchanges.readiness(exchange, readinessProblem.get());
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
