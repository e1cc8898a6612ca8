package dev.archipelago.testcluster;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real JobSet controller (built from its Go module by hack/jobset.sh) running against the test
 * cluster, for comparing a DDMRun with what users compare it to. Its webhooks (defaulting,
 * validation, exclusive placement) are not registered with the API server.
 */
public final class JobSetController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobSetController.class);

  private final ControllerProcess process;

  private JobSetController(ControllerProcess process) {
    this.process = process;
  }

  /** Installs JobSet's CRD and starts its controller; returns once it reports ready. */
  public static JobSetController start(TestCluster cluster) {
    ControllerProcess process =
        ControllerProcess.start(
            cluster,
            "hack/jobset.sh",
            "jobset",
            s ->
                "apiVersion: config.jobset.x-k8s.io/v1alpha1\n"
                    + "kind: Configuration\n"
                    + "health: {healthProbeBindAddress: '127.0.0.1:"
                    + s.healthPort()
                    + "'}\n"
                    + "metrics: {bindAddress: '127.0.0.1:"
                    + s.metricsPort()
                    + "', certDir: '"
                    + s.certDir()
                    + "'}\n"
                    + "webhook: {port: "
                    + s.webhookPort()
                    + ", host: 127.0.0.1, certDir: '"
                    + s.certDir()
                    + "'}\n"
                    + "leaderElection: {leaderElect: false}\n"
                    + "internalCertManagement: {enable: false}\n",
            List.of());
    LOG.info("jobset up (log {})", process.log());
    return new JobSetController(process);
  }

  public Path log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
    LOG.info("jobset stopped; its log stays at {}", process.log());
  }
}
