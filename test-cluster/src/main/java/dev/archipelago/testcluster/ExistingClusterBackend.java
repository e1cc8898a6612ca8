package dev.archipelago.testcluster;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cluster the user already runs (kind, k3d, a cloud cluster), given by kubeconfig. Nothing is
 * started or stopped; tests still clean up their namespaces.
 */
final class ExistingClusterBackend implements ClusterBackend {
  private final Path kubeconfig;
  private final Config config;

  ExistingClusterBackend(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    try {
      this.config = Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }

  @Override
  public Config adminConfig() {
    return config;
  }

  @Override
  public Path adminKubeconfig() {
    return kubeconfig;
  }

  @Override
  public String describe() {
    return "existing cluster from " + kubeconfig + " (" + config.getMasterUrl() + ")";
  }

  @Override
  public boolean simulatesNodes() {
    return false;
  }

  @Override
  public Optional<Path> componentLogs() {
    return Optional.empty();
  }

  @Override
  public void close() {}
}
