package dev.archipelago.testcluster;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.Optional;

/** A Kubernetes cluster that tests run against; one per test run, shared by all test classes. */
public interface ClusterBackend extends AutoCloseable {

  /** Client configuration with cluster-admin rights. */
  Config adminConfig();

  /**
   * A kubeconfig file with the same cluster-admin rights as {@link #adminConfig()}, for
   * command-line tools such as helm and kubectl.
   */
  Path adminKubeconfig();

  /** Short human description for logs and failure dumps, e.g. "kwok v0.7.0 / kube v1.34.4". */
  String describe();

  /**
   * Whether nodes and pod lifecycles are simulated (kwok). Only then can tests create GPU nodes and
   * decide how pods end; on a real cluster, kubelets do that.
   */
  boolean simulatesNodes();

  /** Directory holding the control plane's component logs, when this backend has them. */
  Optional<Path> componentLogs();

  /** Stops the cluster and removes everything it created; safe to call twice. */
  @Override
  void close();
}
