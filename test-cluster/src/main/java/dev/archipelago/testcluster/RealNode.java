package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test cluster's one real node: a kubelet, kube-proxy and containerd on this machine, started
 * and removed by {@code hack/real-node.sh} (root only). It is labelled and tainted like a GPU node
 * pool and advertises fake {@code nvidia.com/gpu}s, so a ComputeIsland selects it as it selects a
 * cloud pool; containers on it run on the CPU. The project's images are imported into its
 * containerd, so pods use them with {@code imagePullPolicy: IfNotPresent}.
 *
 * <p>Off with {@code -Darchipelago.test.realNode=false} (machines without root); the tests that
 * need it carry the {@value #TAG} tag, which the build then excludes.
 */
public final class RealNode implements AutoCloseable {
  public static final String ENABLED_PROPERTY = "archipelago.test.realNode";

  /** Image archives to import, separated by commas (the build passes the ones it made). */
  public static final String IMAGES_PROPERTY = "archipelago.test.images";

  /** JUnit tag of the tests that run containers on the real node. */
  public static final String TAG = "real-node";

  public static final String NAME = "archipelago-real-node";

  /** Value of {@link GpuNodePools#POOL_LABEL} on the real node. */
  public static final String POOL = "real-pool";

  /** How pods on the node reach servers of the test JVM: the pod bridge's gateway (this host). */
  public static final String HOST_ADDRESS_FOR_PODS = "10.244.77.1";

  /** The sandbox image hack/pause-image.sh builds and every start imports. */
  public static final String SANDBOX_IMAGE = "archipelago.dev/pause:3.10-local";

  /** What puts a pod on the node, as on a GPU pool: its pool label, past its GPU taint. */
  public static final Map<String, String> NODE_SELECTOR = Map.of(GpuNodePools.POOL_LABEL, POOL);

  public static final Toleration GPU_TOLERATION =
      new TolerationBuilder().withKey(GpuNodePools.GPU_RESOURCE).withOperator("Exists").build();

  /** Fake GPUs it advertises. */
  public static final int GPUS = 4;

  private static final Logger LOG = LoggerFactory.getLogger(RealNode.class);
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(3);

  private final Path script;
  private final Path kubeconfig;
  private boolean closed;

  private RealNode(Path script, Path kubeconfig) {
    this.script = script;
    this.kubeconfig = kubeconfig;
  }

  static boolean enabled() {
    return Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"));
  }

  /** Joins a real node to the cluster whose admin kubeconfig is given. */
  static RealNode start(Path kubeconfig) {
    if (!enabled()) {
      throw new IllegalStateException(
          "a test needs the real node but -D" + ENABLED_PROPERTY + "=false; tag it " + TAG);
    }
    Path script = ClusterBinaries.repoRoot().resolve("hack/real-node.sh");
    List<String> command = new ArrayList<>(List.of("bash", script.toString(), "up"));
    command.add(kubeconfig.toString());
    command.addAll(images());
    long start = System.nanoTime();
    RealNode node = new RealNode(script, kubeconfig);
    try {
      Commands.run(command, env(), UP_TIMEOUT);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    LOG.info("real node {} up in {} ms", NAME, (System.nanoTime() - start) / 1_000_000);
    return node;
  }

  private static List<String> images() {
    String list = System.getProperty(IMAGES_PROPERTY, "");
    List<String> images = new ArrayList<>();
    for (String item : Arrays.asList(list.split(","))) {
      if (item.isBlank()) {
        continue;
      }
      Path archive = Path.of(item.strip());
      if (!Files.isRegularFile(archive)) {
        throw new IllegalStateException(
            "-D" + IMAGES_PROPERTY + " names " + archive + ", which does not exist; build images");
      }
      images.add(archive.toString());
    }
    return images;
  }

  private static Map<String, String> env() {
    return Map.of("REAL_NODE_NAME", NAME, "REAL_NODE_POOL", POOL, "REAL_NODE_GPUS", "" + GPUS);
  }

  /** Drains its pods through the API, then removes everything the node created on this host. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Commands.run(
          List.of("bash", script.toString(), "down", kubeconfig.toString()), env(), DOWN_TIMEOUT);
      LOG.info("real node {} removed", NAME);
    } catch (RuntimeException e) {
      LOG.warn("real node teardown failed (the next start cleans up): {}", e.getMessage());
    }
  }
}
