package dev.archipelago.trainer.partition;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Content of {@code partition/assignments/expert-<k>.json}: the samples of cluster k, grouped by
 * shard (keys are unique within a shard only).
 *
 * @param expert k
 * @param samples how many samples the cluster holds
 * @param shards shard name → keys of the cluster's samples in it, in tar order
 */
public record ExpertAssignment(int expert, long samples, Map<String, List<String>> shards) {

  /** Whether the sample {@code key} of {@code shard} belongs to this cluster. */
  public boolean contains(String shard, String key) {
    List<String> keys = shards.get(shard);
    return keys != null && keys.contains(key);
  }

  /** The cluster as a set per shard, for fast membership tests while training. */
  public Map<String, Set<String>> index() {
    Map<String, Set<String>> index = new HashMap<>();
    shards.forEach((shard, keys) -> index.put(shard, new HashSet<>(keys)));
    return index;
  }
}
