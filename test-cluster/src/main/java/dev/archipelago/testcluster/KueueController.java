package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Kueue controller (built from its Go module by hack/kueue.sh) running against the test
 * cluster: its CRDs installed, its manager started as a process with the cluster's admin
 * kubeconfig. Kueue's webhooks are not registered with the API server (the operator creates queued
 * Jobs suspended itself, which is what Kueue's Job webhook would do); its internal cert management
 * is off, so it serves with a self-signed certificate from a temporary directory, and its metrics
 * certificate lies where Kueue then looks for it, /etc/kueue/metrics/certs (root).
 */
public final class KueueController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KueueController.class);
  private static final Path METRICS_CERTS = Path.of("/etc/kueue/metrics/certs");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Path work;
  private final Path log;
  private final boolean createdMetricsCerts;

  private KueueController(Process process, Path work, Path log, boolean createdMetricsCerts) {
    this.process = process;
    this.work = work;
    this.log = log;
    this.createdMetricsCerts = createdMetricsCerts;
  }

  /** Installs Kueue's CRDs and starts its controller; returns once it reports ready. */
  public static KueueController start(TestCluster cluster) {
    Path dir = build();
    installCrds(cluster.client(), dir.resolve("crds"));
    if (cluster.client().namespaces().withName("kueue-system").get() == null) {
      cluster
          .client()
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("kueue-system")
                  .endMetadata()
                  .build())
          .create();
    }
    try {
      Path work = Files.createTempDirectory("archipelago-kueue-");
      Path certs = work.resolve("certs");
      Files.createDirectories(certs);
      selfSignedCertificate(certs);
      boolean createdMetricsCerts = !Files.exists(METRICS_CERTS.resolve("tls.crt"));
      if (createdMetricsCerts) {
        Files.createDirectories(METRICS_CERTS);
        Files.copy(certs.resolve("tls.crt"), METRICS_CERTS.resolve("tls.crt"));
        Files.copy(certs.resolve("tls.key"), METRICS_CERTS.resolve("tls.key"));
      }
      int health = freePort();
      Path config = work.resolve("config.yaml");
      Files.writeString(
          config,
          "apiVersion: config.kueue.x-k8s.io/v1beta2\n"
              + "kind: Configuration\n"
              + "namespace: kueue-system\n"
              + "manageJobsWithoutQueueName: false\n"
              + "health: {healthProbeBindAddress: '127.0.0.1:"
              + health
              + "'}\n"
              + "metrics: {bindAddress: '127.0.0.1:"
              + freePort()
              + "'}\n"
              + "webhook: {port: "
              + freePort()
              + ", host: 127.0.0.1, certDir: '"
              + certs
              + "'}\n"
              + "leaderElection: {leaderElect: false}\n"
              + "internalCertManagement: {enable: false}\n"
              + "integrations: {frameworks: [batch/job]}\n");
      Path log = work.resolve("kueue.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  dir.resolve("kueue").toString(),
                  "--config=" + config,
                  "--feature-gates=VisibilityOnDemand=false")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", cluster.adminKubeconfig().toString());
      Process process = builder.start();
      // A test JVM that dies without closing must not leave a controller running.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kueue-stop"));
      KueueController kueue = new KueueController(process, work, log, createdMetricsCerts);
      kueue.awaitReady(health);
      LOG.info("kueue up (log {})", log);
      return kueue;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The controller's log, for a failing test's report. */
  public Path log() {
    return log;
  }

  private static Path build() {
    Path script = ClusterBinaries.repoRoot().resolve("hack/kueue.sh");
    String out = Commands.run(List.of("bash", script.toString()), Map.of(), Duration.ofMinutes(30));
    String[] lines = out.strip().split("\n");
    return Path.of(lines[lines.length - 1].strip());
  }

  private static void installCrds(KubernetesClient client, Path crds) {
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        CustomResourceDefinitions.install(client, Files.newInputStream(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void selfSignedCertificate(Path dir) {
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
            "/CN=kueue-test",
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
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("kueue exited " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(500);
    }
    close();
    throw new IllegalStateException("kueue not ready in " + START_TIMEOUT + ":\n" + tail());
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
    if (createdMetricsCerts) {
      try {
        Files.deleteIfExists(METRICS_CERTS.resolve("tls.crt"));
        Files.deleteIfExists(METRICS_CERTS.resolve("tls.key"));
        // The directories too, innermost first, where nothing else lives in them.
        for (Path p = METRICS_CERTS; !p.equals(Path.of("/etc")); p = p.getParent()) {
          try (Stream<Path> left = Files.list(p)) {
            if (left.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(p);
        }
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", METRICS_CERTS, e.getMessage());
      }
    }
    LOG.info("kueue stopped; its log stays at {}", log);
  }
}
