package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;

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
}
