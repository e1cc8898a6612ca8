package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.RunConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * After training: the inference server as a child process, samples.png from it, and with {@code
 * --serve} the server kept running until Ctrl-C. {@code --no-samples} alone skips the server.
 */
final class ServingStep implements AutoCloseable {
  static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final LocalRunOptions options;
  private final ChildLauncher launcher;
  private final WorkDir workDir;
  private final int threads;
  private final PrintWriter out;
  private LocalServer server;

  ServingStep(
      LocalRunOptions options,
      ChildLauncher launcher,
      WorkDir workDir,
      int threads,
      PrintWriter out) {
    this.options = options;
    this.launcher = launcher;
    this.workDir = workDir;
    this.threads = threads;
    this.out = out;
  }

  /**
   * Starts the server if samples or serving were asked for and writes samples.png.
   *
   * @return samples.png, or null when none was written (not asked for, inference disabled, or the
   *     run is stopping)
   * @throws ChildProcessException when the server does not come up or does not answer; the message
   *     names its log
   */
  Path samples(RunConfig config) throws ChildProcessException, InterruptedException {
    if (!options.samples() && !options.serve()) {
      return null;
    }
    if (Boolean.FALSE.equals(config.inference().getEnabled())) {
      out.println("spec.inference.enabled is false: no inference server, no samples");
      return null;
    }
    Path log = workDir.log("serve");
    out.println("starting the inference server (log " + log + ")");
    out.flush();
    try {
      server = LocalServer.start(launcher, log, threads, READY_TIMEOUT);
      if (server == null || !options.samples()) {
        return null;
      }
      new SamplesWriter(server.client(), options.samplesPerBlock(), config.training().getSeed())
          .write(config.inference(), workDir.samples());
      return workDir.samples();
    } catch (ChildProcessException e) {
      throw e;
    } catch (IOException e) {
      throw new ChildProcessException("samples from the inference server failed: " + e, log);
    }
  }

  /** With {@code --serve}: prints the server's URL and waits until it exits (Ctrl-C). */
  void serveUntilStopped() throws InterruptedException {
    if (options.serve() && server != null) {
      out.println("serving at " + server.uri() + " (Ctrl-C to stop)");
      out.flush();
      server.awaitExit();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
