package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.partition.ExpertAssignment;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Reads a complete partition: trainers start only once {@code cluster-sizes.json} exists. */
final class PartitionReader {
  private PartitionReader() {}

  static ClusterSizes requireComplete(ObjectStore store, StorageLayout layout) throws IOException {
    return store
        .read(layout.clusterSizes())
        .map(b -> ContractJson.read(b, ClusterSizes.class))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the partition is not complete: " + layout.clusterSizes() + " is missing"));
  }

  static ExpertAssignment assignment(ObjectStore store, StorageLayout layout, int expert)
      throws IOException {
    byte[] bytes =
        store
            .read(layout.assignments(expert))
            .orElseThrow(
                () -> new IllegalStateException(layout.assignments(expert) + " is missing"));
    return ContractJson.read(bytes, ExpertAssignment.class);
  }

  /** shard → key → cluster, over every expert's assignment. */
  static Map<String, Map<String, Integer>> clusterIndex(
      ObjectStore store, StorageLayout layout, int experts) throws IOException {
    Map<String, Map<String, Integer>> index = new HashMap<>();
    for (int k = 0; k < experts; k++) {
      int cluster = k;
      assignment(store, layout, k)
          .shards()
          .forEach(
              (shard, keys) -> {
                Map<String, Integer> ofShard = index.computeIfAbsent(shard, s -> new HashMap<>());
                keys.forEach(key -> ofShard.put(key, cluster));
              });
    }
    return index;
  }
}
