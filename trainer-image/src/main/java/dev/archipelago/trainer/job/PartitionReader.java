package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a complete partition: trainers start only once {@code cluster-sizes.json} exists, and read
 * each cluster where the partition wrote it.
 */
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

  /**
   * Cluster {@code expert}'s shards: in its island's bucket when the partition put it there (as
   * {@code partition/cluster-locations.json} records), else under the run's prefix.
   */
  static ObjectStoreShards clusterShards(JobContext context, int expert) throws IOException {
    StorageLayout layout = context.config().layout();
    return locations(context)
        .of(expert)
        .map(
            l ->
                new ObjectStoreShards(
                    context.stores().forBucket(l.bucket(), l.region()), l.prefix()))
        .orElse(new ObjectStoreShards(context.runStore(), layout.clusterShards(expert)));
  }

  /** Every cluster's shards, wherever each lives, in expert order. */
  static List<ObjectStoreShards> allClusterShards(JobContext context) throws IOException {
    List<ObjectStoreShards> all = new ArrayList<>();
    for (int k = 0; k < context.config().experts(); k++) {
      all.add(clusterShards(context, k));
    }
    return all;
  }

  private static ClusterLocations locations(JobContext context) throws IOException {
    return context
        .runStore()
        .read(context.config().layout().clusterLocations())
        .map(b -> ContractJson.read(b, ClusterLocations.class))
        .orElse(new ClusterLocations(List.of()));
  }
}
