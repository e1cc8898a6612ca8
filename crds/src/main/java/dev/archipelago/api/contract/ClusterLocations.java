package dev.archipelago.api.contract;

import java.util.List;
import java.util.Optional;

/**
 * Where clusters live that are not under the run's own prefix: the bucket of the island their
 * expert was placed on ({@code ComputeIsland.spec.storage}), reached with the run's endpoint and
 * credentials. The operator hands it to the partition ({@link PodEnv#CLUSTER_LOCATIONS}); the
 * partition writes the shards there and records it as {@link StorageLayout#clusterLocations}, which
 * experts and the router read. Clusters not listed are at {@link StorageLayout#clusterShards}.
 */
public record ClusterLocations(List<Location> clusters) {

  /**
   * @param region the bucket's region, null for the run's
   * @param prefix the folder of the cluster's shards, ending with '/'
   */
  public record Location(int expert, String bucket, String region, String prefix) {
    public Location {
      if (bucket == null || bucket.isBlank() || prefix == null || !prefix.endsWith("/")) {
        throw new IllegalArgumentException(
            "a cluster location needs a bucket and a prefix ending with '/': " + bucket + prefix);
      }
    }
  }

  public ClusterLocations {
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }

  public Optional<Location> of(int expert) {
    return clusters.stream().filter(c -> c.expert() == expert).findFirst();
  }

  /**
   * Where cluster {@code expert} of a run goes in an island's bucket: the run's own folder layout
   * under the island's prefix.
   */
  public static String islandPrefix(
      String islandPrefix, String namespace, String name, String uid, int expert) {
    return new StorageLayout(StorageLayout.runPrefix(islandPrefix, namespace, name, uid))
        .clusterShards(expert);
  }
}
