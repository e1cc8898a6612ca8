package dev.archipelago.testcluster;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * K3s in a container via Testcontainers, for machines with a Docker engine. Its kubelet runs real
 * pods, so node pools and scripted pod outcomes (kwok features) are not available on it.
 */
final class K3sClusterBackend implements ClusterBackend {
  static final String DEFAULT_IMAGE = "rancher/k3s:v1.34.4-k3s1";

  private final K3sContainer container;
  private final Config config;
  private Path kubeconfig;

  K3sClusterBackend(String image) {
    container = new K3sContainer(DockerImageName.parse(image));
    container.start();
    config = Config.fromKubeconfig(container.getKubeConfigYaml());
  }

  @Override
  public Config adminConfig() {
    return config;
  }

  @Override
  public synchronized Path adminKubeconfig() {
    if (kubeconfig == null) {
      try {
        kubeconfig = Files.createTempFile("archipelago-k3s-", ".kubeconfig");
        kubeconfig.toFile().deleteOnExit();
        Files.writeString(kubeconfig, container.getKubeConfigYaml());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kubeconfig;
  }

  @Override
  public String describe() {
    return "k3s container " + container.getDockerImageName();
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
  public void close() {
    container.stop();
  }
}
