package dev.archipelago.trainer.storage;

import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.data.ShardSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every cluster's shards as one data set, for the router: a shard is named {@code
 * expert-<k>/shard-<n>.tar}, so a sample's cluster is where it lives. Listed round-robin over the
 * clusters (shard 0 of each, then shard 1 of each, …), so a reader that stops early, as the
 * held-out set does, has seen every cluster.
 */
public final class ClusterShardSource implements ShardSource {
  private final List<ObjectStoreShards> clusters;
  private final String describe;

  public ClusterShardSource(ObjectStore store, StorageLayout layout, int experts) {
    this(clustersUnder(store, layout, experts));
  }

  /**
   * @param clusters each cluster's shards, in expert order (some may be in islands' buckets)
   */
  public ClusterShardSource(List<ObjectStoreShards> clusters) {
    this.clusters = List.copyOf(clusters);
    this.describe =
        clusters.size()
            + " clusters ("
            + clusters.stream().map(ObjectStoreShards::describe).distinct().limit(3).toList()
            + (clusters.size() > 3 ? ", ..." : "")
            + ")";
  }

  private static List<ObjectStoreShards> clustersUnder(
      ObjectStore store, StorageLayout layout, int experts) {
    List<ObjectStoreShards> clusters = new ArrayList<>();
    for (int k = 0; k < experts; k++) {
      clusters.add(new ObjectStoreShards(store, layout.clusterShards(k)));
    }
    return clusters;
  }

  /** The cluster of a shard this source lists. */
  public static int clusterOf(String shardName) {
    int slash = shardName.indexOf('/');
    if (!shardName.startsWith("expert-") || slash < 0) {
      throw new IllegalArgumentException("not a cluster shard: " + shardName);
    }
    return Integer.parseInt(shardName.substring("expert-".length(), slash));
  }

  @Override
  public List<String> listShards() throws IOException {
    record Listed(int cluster, int index, String name) {}
    List<Listed> all = new ArrayList<>();
    for (int k = 0; k < clusters.size(); k++) {
      List<String> names = clusters.get(k).listShards();
      for (int i = 0; i < names.size(); i++) {
        all.add(new Listed(k, i, "expert-" + k + "/" + names.get(i)));
      }
    }
    return all.stream()
        .sorted(Comparator.comparingInt(Listed::index).thenComparingInt(Listed::cluster))
        .map(Listed::name)
        .toList();
  }

  @Override
  public InputStream open(String shardName) throws IOException {
    return clusters.get(clusterOf(shardName)).open(shardName.substring(shardName.indexOf('/') + 1));
  }

  @Override
  public String describe() {
    return describe;
  }
}
