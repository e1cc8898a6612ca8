package dev.archipelago.trainer.partition;

import dev.archipelago.trainer.storage.ObjectStore;

/**
 * Where one cluster's shards are written: the run's store under its prefix, or the bucket of the
 * island its expert is placed on.
 *
 * @param prefix the folder of the shards, ending with '/'
 */
public record ClusterDestination(ObjectStore store, String prefix) {
  public ClusterDestination {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a cluster's folder ends with '/': " + prefix);
    }
  }
}
