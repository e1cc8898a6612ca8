package dev.archipelago.trainer.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The inference server ({@code archipelago serve}) as a child process on loopback: started on a
 * free port and polled on {@code /readyz} until it has loaded the trained models.
 */
final class LocalServer implements AutoCloseable {
  private static final long POLL_MILLIS = 500;
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  private final Process process;
  private final ServeClient client;

  private LocalServer(Process process, ServeClient client) {
    this.process = process;
    this.client = client;
  }

  /**
   * Starts the server and waits until it is ready; returns null if the run is stopping.
   *
   * @throws IOException when it exits or is not ready within {@code readyTimeout}; the message
   *     names its log
   */
  static LocalServer start(ChildLauncher launcher, Path log, int threads, Duration readyTimeout)
      throws IOException, InterruptedException {
    int port = freePort();
    Process process = launcher.startServer(port, threads);
    if (process == null) {
      return null;
    }
    LocalServer server =
        new LocalServer(
            process, new ServeClient(URI.create("http://127.0.0.1:" + port), REQUEST_TIMEOUT));
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (!server.client.ready()) {
      if (!process.isAlive()) {
        throw new ChildProcessException(
            "the inference server exited with " + process.exitValue() + " before it was ready",
            log);
      }
      if (System.nanoTime() > deadline) {
        server.close();
        throw new ChildProcessException(
            "the inference server was not ready within " + readyTimeout.toSeconds() + " s", log);
      }
      Thread.sleep(POLL_MILLIS);
    }
    return server;
  }

  ServeClient client() {
    return client;
  }

  URI uri() {
    return client.base();
  }

  /** Waits until the server exits (with {@code --serve}, until Ctrl-C). */
  int awaitExit() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
