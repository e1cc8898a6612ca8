package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Kueue controller (built from its Go module by hack/kueue.sh) running against the test
 * cluster. Its webhooks are not registered with the API server: the operator creates queued Jobs
 * suspended itself, which is what Kueue's Job webhook would do. With its internal certificate
 * management off, Kueue reads its metrics certificate from /etc/kueue/metrics/certs, so starting it
 * needs root; a certificate placed there is removed again on close.
 */
public final class KueueController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KueueController.class);
  private static final Path METRICS_CERTS = Path.of("/etc/kueue/metrics/certs");

  private final ControllerProcess process;
  private final boolean placedMetricsCerts;

  private KueueController(ControllerProcess process, boolean placedMetricsCerts) {
    this.process = process;
    this.placedMetricsCerts = placedMetricsCerts;
  }

  /** Installs Kueue's CRDs and starts its controller; returns once it reports ready. */
  public static KueueController start(TestCluster cluster) {
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
    boolean placed = placeMetricsCertificate();
    ControllerProcess process =
        ControllerProcess.start(
            cluster,
            "hack/kueue.sh",
            "kueue",
            s ->
                "apiVersion: config.kueue.x-k8s.io/v1beta2\n"
                    + "kind: Configuration\n"
                    + "namespace: kueue-system\n"
                    + "manageJobsWithoutQueueName: false\n"
                    + "health: {healthProbeBindAddress: '127.0.0.1:"
                    + s.healthPort()
                    + "'}\n"
                    + "metrics: {bindAddress: '127.0.0.1:"
                    + s.metricsPort()
                    + "'}\n"
                    + "webhook: {port: "
                    + s.webhookPort()
                    + ", host: 127.0.0.1, certDir: '"
                    + s.certDir()
                    + "'}\n"
                    + "leaderElection: {leaderElect: false}\n"
                    + "internalCertManagement: {enable: false}\n"
                    + "integrations: {frameworks: [batch/job]}\n",
            List.of("--feature-gates=VisibilityOnDemand=false"));
    LOG.info("kueue up (log {})", process.log());
    return new KueueController(process, placed);
  }

  /** Whether it placed a certificate (none was there). */
  private static boolean placeMetricsCertificate() {
    if (Files.exists(METRICS_CERTS.resolve("tls.crt"))) {
      return false;
    }
    try {
      Files.createDirectories(METRICS_CERTS);
    } catch (IOException e) {
      throw new UncheckedIOException("Kueue's metrics certificate needs root: " + METRICS_CERTS, e);
    }
    ControllerProcess.selfSignedCertificate(METRICS_CERTS);
    return true;
  }

  /** The controller's log, for a failing test's report. */
  public Path log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
    if (placedMetricsCerts) {
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
    LOG.info("kueue stopped; its log stays at {}", process.log());
  }
}
