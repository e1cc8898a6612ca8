package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;

/**
 * Creates simulated GPU nodes that kwok keeps Ready. Nodes are cluster-scoped and shared by the
 * whole run, so each gets a unique suffix and is deleted after the test that made it.
 */
public final class GpuNodePools {
  /** The pool label, as GKE sets it; selectors of ComputeIslands use it. */
  public static final String POOL_LABEL = "cloud.google.com/gke-nodepool";

  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** kwok's controller manages the nodes carrying this annotation. */
  static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

  private final KubernetesClient client;
  private final List<String> created = new ArrayList<>();

  GpuNodePools(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the pool's nodes and waits until every one is Ready. Returns their names. */
  public List<String> create(GpuNodePool pool) {
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < pool.nodes(); i++) {
      String name = pool.name() + "-" + suffix + "-" + i;
      client.nodes().resource(node(pool, name)).create();
      synchronized (created) {
        created.add(name);
      }
      names.add(name);
    }
    Awaitility.await("nodes of pool " + pool.name() + " Ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> names.stream().allMatch(this::isReady));
    return names;
  }

  /** Deletes every node this instance created (used by the extension after each test). */
  void deleteCreated() {
    synchronized (created) {
      for (String name : created) {
        client.nodes().withName(name).delete();
      }
      created.clear();
    }
  }

  private boolean isReady(String name) {
    Node node = client.nodes().withName(name).get();
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Node node(GpuNodePool pool, String name) {
    Map<String, Quantity> resources =
        Map.of(
            GPU_RESOURCE,
            new Quantity(Integer.toString(pool.gpusPerNode())),
            "cpu",
            new Quantity(pool.cpu()),
            "memory",
            new Quantity(pool.memory()),
            "pods",
            new Quantity("110"));
    String region = pool.zone().replaceAll("-[a-z]$", "");
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToAnnotations(KWOK_NODE_ANNOTATION, "fake")
        .addToLabels(POOL_LABEL, pool.name())
        .addToLabels("kubernetes.io/hostname", name)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels("node.kubernetes.io/instance-type", pool.instanceType())
        .addToLabels("topology.kubernetes.io/zone", pool.zone())
        .addToLabels("topology.kubernetes.io/region", region)
        .addToLabels("nvidia.com/gpu.present", "true")
        .addToLabels("type", "kwok")
        .endMetadata()
        .withNewSpec()
        .addNewTaint()
        .withKey(GPU_RESOURCE)
        .withValue("present")
        .withEffect("NoSchedule")
        .endTaint()
        .endSpec()
        .withNewStatus()
        .withAllocatable(resources)
        .withCapacity(resources)
        .endStatus()
        .build();
  }
}
