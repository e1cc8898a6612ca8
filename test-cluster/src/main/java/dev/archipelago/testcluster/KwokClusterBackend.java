package dev.archipelago.testcluster;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real control plane started as plain processes by {@code kwokctl --runtime binary}: etcd,
 * kube-apiserver (TLS, authentication, RBAC, admission), kube-controller-manager, kube-scheduler
 * and the kwok controller playing every kubelet. Everything lives in a private temp work dir that
 * {@link #close()} removes.
 */
final class KwokClusterBackend implements ClusterBackend {
  static final List<String> BINARIES =
      List.of(
          "kube-apiserver",
          "kube-controller-manager",
          "kube-scheduler",
          "kubectl",
          "etcd",
          "kwok",
          "kwokctl");

  private static final Logger LOG = LoggerFactory.getLogger(KwokClusterBackend.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** First address of the API server's default Service range (10.0.0.0/24). */
  private static final String KUBERNETES_SERVICE_IP = "10.0.0.1";

  private final Path binaries;
  private final Path workDir;
  private final String name;
  private final Config config;
  private boolean closed;

  KwokClusterBackend(Path binaries) {
    this.binaries = binaries;
    this.name = "archipelago-test-" + ProcessHandle.current().pid();
    try {
      this.workDir = Files.createTempDirectory("archipelago-kwok-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      long start = System.nanoTime();
      Path stages = writeStages();
      Path options = writeOptions();
      kwokctl(
          "create",
          "cluster",
          "--runtime=binary",
          "--kube-authorization=true",
          "--kube-admission=true",
          "--kube-apiserver-binary=" + binaries.resolve("kube-apiserver"),
          "--kube-controller-manager-binary=" + binaries.resolve("kube-controller-manager"),
          "--kube-scheduler-binary=" + binaries.resolve("kube-scheduler"),
          "--kwok-controller-binary=" + binaries.resolve("kwok"),
          "--etcd-binary=" + binaries.resolve("etcd"),
          "--config=" + stages,
          "--config=" + options,
          // The real node's kubelet serves logs/exec on its InternalIP; its host name resolves
          // nowhere.
          "--extra-args=kube-apiserver=kubelet-preferred-address-types=InternalIP",
          // kwok plays only the simulated nodes (GpuNodePools annotates them), never the real one.
          "--extra-args=kwok-controller=manage-all-nodes=false",
          "--extra-args=kwok-controller=manage-nodes-with-annotation-selector="
              + GpuNodePools.KWOK_NODE_ANNOTATION
              + "=fake",
          "--kubeconfig=" + workDir.resolve("user-kubeconfig"),
          "--wait=" + START_TIMEOUT.toSeconds() + "s");
      String kubeconfig = kwokctl("get", "kubeconfig");
      this.config = Config.fromKubeconfig(kubeconfig);
      Files.writeString(workDir.resolve("admin.kubeconfig"), kubeconfig);
      LOG.info(
          "test cluster {} up in {} ms at {} (kubeconfig {})",
          name,
          (System.nanoTime() - start) / 1_000_000,
          config.getMasterUrl(),
          workDir.resolve("admin.kubeconfig"));
    } catch (RuntimeException | IOException e) {
      close();
      throw new IllegalStateException("cannot start the kwok test cluster: " + e.getMessage(), e);
    }
  }

  @Override
  public Config adminConfig() {
    return config;
  }

  @Override
  public Path adminKubeconfig() {
    return workDir.resolve("admin.kubeconfig");
  }

  @Override
  public String describe() {
    return "kwokctl binary runtime, cluster " + name + ", binaries " + binaries.getFileName();
  }

  @Override
  public boolean simulatesNodes() {
    return true;
  }

  @Override
  public Optional<Path> componentLogs() {
    return Optional.of(workDir.resolve("clusters").resolve(name).resolve("logs"));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      kwokctl("delete", "cluster", "--kubeconfig=" + workDir.resolve("user-kubeconfig"));
    } catch (RuntimeException e) {
      LOG.warn("kwokctl delete cluster {} failed: {}", name, e.getMessage());
    } finally {
      deleteRecursively(workDir);
    }
  }

  private String kwokctl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binaries.resolve("kwokctl").toString());
    command.add("--name=" + name);
    command.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    // Keeps kwokctl's state out of ~/.kwok and makes it use our kubectl instead of downloading.
    env.put("KWOK_WORKDIR", workDir.toString());
    env.put("KWOK_KUBECTL_BINARY", binaries.resolve("kubectl").toString());
    env.put("KWOK_KUBE_VERSION", kubeVersion());
    return Commands.run(command, env, START_TIMEOUT.plusMinutes(1));
  }

  private String kubeVersion() {
    // The cache directory is named kube-<version>_etcd-..._kwok-... by hack/cluster-binaries.sh.
    String dir = binaries.getFileName().toString();
    return dir.startsWith("kube-") ? dir.substring(5, dir.indexOf('_')) : "";
  }

  private Path writeStages() throws IOException {
    Path target = workDir.resolve("kwok-stages.yaml");
    try (InputStream in = KwokClusterBackend.class.getResourceAsStream("kwok-stages.yaml")) {
      if (in == null) {
        throw new IllegalStateException("kwok-stages.yaml missing from the classpath");
      }
      Files.copy(in, target);
    }
    return target;
  }

  /**
   * kwokctl's options: ports and the serving certificate's extra names. kwokctl hands out ports
   * counting down from 32767, so two clusters created at once (parallel builds on one machine) pick
   * the same ones. Random free ports from the OS avoid that.
   */
  private Path writeOptions() throws IOException {
    String[] options = {
      "etcdPeerPort",
      "etcdPort",
      "kubeApiserverPort",
      "kwokControllerPort",
      "kubeControllerManagerPort",
      "kubeSchedulerPort"
    };
    List<java.net.ServerSocket> held = new ArrayList<>();
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokctlConfiguration\noptions:\n");
    // In-cluster clients (the operator's pod) dial the kubernetes Service's IP.
    yaml.append("  kubeApiserverCertSANs: [").append(KUBERNETES_SERVICE_IP).append("]\n");
    try {
      for (String option : options) {
        java.net.ServerSocket socket = new java.net.ServerSocket(0);
        held.add(socket);
        yaml.append("  ").append(option).append(": ").append(socket.getLocalPort()).append('\n');
      }
    } finally {
      for (java.net.ServerSocket socket : held) {
        socket.close();
      }
    }
    Path target = workDir.resolve("kwokctl-options.yaml");
    Files.writeString(target, yaml.toString());
    return target;
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", root, e.getMessage());
    }
  }
}
