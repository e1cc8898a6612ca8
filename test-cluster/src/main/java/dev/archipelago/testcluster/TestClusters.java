package dev.archipelago.testcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and holds the one cluster of a test run.
 *
 * <ul>
 *   <li>{@code -Darchipelago.test.kubeconfig=PATH}: an existing cluster (kind, k3d, cloud);
 *   <li>{@code -Darchipelago.test.backend=k3s}: K3s via Testcontainers (needs a Docker engine);
 *   <li>otherwise: a kwok cluster from locally built binaries.
 * </ul>
 */
public final class TestClusters {
  public static final String KUBECONFIG_PROPERTY = "archipelago.test.kubeconfig";
  public static final String BACKEND_PROPERTY = "archipelago.test.backend";
  public static final String K3S_IMAGE_PROPERTY = "archipelago.test.k3sImage";

  private static final Logger LOG = LoggerFactory.getLogger(TestClusters.class);
  private static ClusterBackend shared;
  private static RealNode realNode;
  private static Path binaries;

  private TestClusters() {}

  /** The run's cluster, started on first use and stopped by a JVM shutdown hook at the latest. */
  public static synchronized ClusterBackend shared() {
    if (shared == null) {
      shared = start();
      LOG.info("tests run against {}", shared.describe());
      Runtime.getRuntime()
          .addShutdownHook(new Thread(TestClusters::stopAll, "test-cluster-shutdown"));
    }
    return shared;
  }

  /**
   * The real node joined to the run's cluster, started on first use (see {@link RealNode}); only on
   * the kwok backend, which runs on this machine.
   */
  public static synchronized RealNode realNode() {
    ClusterBackend cluster = shared();
    if (realNode == null) {
      if (!(cluster instanceof KwokClusterBackend)) {
        throw new IllegalStateException("the real node joins only the local kwok cluster");
      }
      realNode = RealNode.start(cluster.adminKubeconfig());
    }
    return realNode;
  }

  // The node drains its pods through the API server, so it goes first.
  private static synchronized void stopAll() {
    if (realNode != null) {
      realNode.close();
    }
    shared.close();
  }

  /**
   * A command-line tool built by {@code hack/cluster-binaries.sh} next to the cluster's binaries
   * (e.g. {@code helm}, {@code kubectl}); works without starting a cluster.
   */
  public static synchronized Path binary(String name) {
    Path binary = binaries().resolve(name);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "no " + name + " in " + binaries + "; run hack/cluster-binaries.sh");
    }
    return binary;
  }

  private static synchronized Path binaries() {
    if (binaries == null) {
      binaries = ClusterBinaries.resolve();
    }
    return binaries;
  }

  private static ClusterBackend start() {
    String kubeconfig = System.getProperty(KUBECONFIG_PROPERTY);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return new ExistingClusterBackend(Path.of(kubeconfig));
    }
    String backend = System.getProperty(BACKEND_PROPERTY, "kwok");
    switch (backend) {
      case "kwok":
        return new KwokClusterBackend(binaries());
      case "k3s":
        return new K3sClusterBackend(
            System.getProperty(K3S_IMAGE_PROPERTY, K3sClusterBackend.DEFAULT_IMAGE));
      default:
        throw new IllegalArgumentException(
            "-D" + BACKEND_PROPERTY + "=" + backend + " is not one of: kwok, k3s");
    }
  }
}
