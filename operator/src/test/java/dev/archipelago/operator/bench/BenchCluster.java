package dev.archipelago.operator.bench;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.testcluster.GpuNodePool;
import dev.archipelago.testcluster.GpuNodePools;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testfixtures.ArchipelagoCrds;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' cluster: 8 pools of 8 GPU nodes with one ComputeIsland each, and a credentials
 * Secret for runs whose store is never reached.
 */
final class BenchCluster {
  /** The islands' names and every node's name. */
  record Pools(List<String> islands, List<String> nodes) {}

  private BenchCluster() {}

  static Pools create(TestCluster cluster, String prefix) {
    ArchipelagoCrds.ensureInstalled(cluster.client());
    String suffix = cluster.namespace().substring(cluster.namespace().length() - 4);
    List<String> islands = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      String pool = prefix + "-" + p + "-" + suffix;
      nodes.addAll(cluster.nodePools().create(GpuNodePool.of(pool, 8)));
      cluster
          .client()
          .resource(Serialization.unmarshal(island(pool), ComputeIsland.class))
          .create();
      islands.add(pool);
    }
    cluster
        .client()
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3")
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", "x")
                .addToStringData("AWS_SECRET_ACCESS_KEY", "y")
                .build())
        .create();
    return new Pools(islands, nodes);
  }

  /** A run of {@code experts} over the islands, its store an address where nothing listens. */
  static String run(String name, int experts, List<String> islands) {
    return "apiVersion: archipelago.dev/v1alpha1\nkind: DDMRun\nmetadata: {name: "
        + name
        + "}\n"
        + "spec:\n  dataset: {uri: 'synthetic://shapes', imageSize: 32, channels: 3}\n"
        + "  partitioning: {experts: "
        + experts
        + "}\n  model: {preset: tiny}\n"
        + "  islands: ["
        + String.join(", ", islands)
        + "]\n"
        + "  resources: {gpus: 1, cpu: '1', memory: 1Gi}\n"
        + "  storage: {endpoint: 'http://127.0.0.1:9', bucket: runs, credentialsSecretRef: {name: s3}}\n";
  }

  private static String island(String pool) {
    return "apiVersion: archipelago.dev/v1alpha1\nkind: ComputeIsland\nmetadata: {name: "
        + pool
        + "}\n"
        + "spec:\n  nodeSelector: {"
        + GpuNodePools.POOL_LABEL
        + ": "
        + pool
        + "}\n"
        + "  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n";
  }
}
