package dev.archipelago.testcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A controller-runtime manager built from its Go module (a hack script prints the directory that
 * holds the binary and its {@code crds/}), run as a process against the test cluster with the admin
 * kubeconfig until its /readyz answers. Its webhooks are not registered with the API server; it
 * serves them and its metrics with a self-signed certificate from a temporary directory.
 */
final class ControllerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** What a controller's configuration file needs: its ports and certificate directory. */
  record Settings(int healthPort, int metricsPort, int webhookPort, Path certDir) {}

  private final Process process;
  private final Path log;

  private ControllerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param script the hack script that builds the controller and prints its directory
   * @param binary the binary's name in that directory
   * @param config the controller's configuration file, given its settings
   * @param args arguments besides {@code --config}
   */
  static ControllerProcess start(
      TestCluster cluster,
      String script,
      String binary,
      Function<Settings, String> config,
      List<String> args) {
    Path dir = build(script);
    installCrds(cluster, dir.resolve("crds"));
    try {
      Path work = Files.createTempDirectory("archipelago-" + binary + "-");
      Path certs = work.resolve("certs");
      Files.createDirectories(certs);
      selfSignedCertificate(certs);
      Settings settings = new Settings(freePort(), freePort(), freePort(), certs);
      Path configFile = work.resolve("config.yaml");
      Files.writeString(configFile, config.apply(settings));
      List<String> command = new ArrayList<>();
      command.add(dir.resolve(binary).toString());
      command.add("--config=" + configFile);
      command.addAll(args);
      Path log = work.resolve(binary + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", cluster.adminKubeconfig().toString());
      Process process = builder.start();
      // A test JVM that dies without closing must not leave the controller running.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, binary + "-stop"));
      ControllerProcess controller = new ControllerProcess(process, log);
      controller.awaitReady(settings.healthPort());
      return controller;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path log() {
    return log;
  }

  private static Path build(String script) {
    Path path = ClusterBinaries.repoRoot().resolve(script);
    String out = Commands.run(List.of("bash", path.toString()), Map.of(), Duration.ofMinutes(30));
    String[] lines = out.strip().split("\n");
    return Path.of(lines[lines.length - 1].strip());
  }

  private static void installCrds(TestCluster cluster, Path crds) {
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinitions.install(cluster.client(), in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void selfSignedCertificate(Path dir) {
    Commands.run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=archipelago-test",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            dir.resolve("tls.key").toString(),
            "-out",
            dir.resolve("tls.crt").toString()),
        Map.of(),
        Duration.ofSeconds(60));
  }

  private void awaitReady(int healthPort) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      Awaitility.await("controller ready")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> ready(http, healthPort));
    } catch (ConditionTimeoutException e) {
      close();
      throw new IllegalStateException("controller not ready in " + START_TIMEOUT + ":\n" + tail());
    }
  }

  /** Whether /readyz answers 200; a controller that exited fails the wait at once. */
  private boolean ready(HttpClient http, int healthPort) throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("controller exited " + process.exitValue() + ":\n" + tail());
    }
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
