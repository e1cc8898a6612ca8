package dev.archipelago.trainer.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz} and {@code /readyz} on a port and event loop of their own, so that the kubelet's
 * probes are answered in milliseconds however loaded the main port is (a probe stuck behind
 * generations fails its timeout, takes the pod out of its Service and, for liveness, restarts it
 * and its weight download).
 */
public final class ProbeServer implements AutoCloseable {
  private final EndpointServer server;

  /**
   * @param readinessProblem why the server cannot take traffic, or null when it can
   */
  public ProbeServer(InetSocketAddress address, Supplier<String> readinessProblem)
      throws IOException {
    this.server =
        new EndpointServer(
            "serve-probes",
            address,
            Map.of(
                "/healthz", Route.cheap(null, call -> HttpAnswer.text(200, "ok\n")),
                "/readyz", Route.cheap(null, call -> HttpAnswer.readiness(readinessProblem.get()))),
            1,
            e -> HttpAnswer.error(500, "internal error: " + e, null));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
