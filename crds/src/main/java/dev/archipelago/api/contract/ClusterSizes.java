package dev.archipelago.api.contract;

import java.util.List;

/**
 * Content of {@code partition/cluster-sizes.json}: samples per cluster, indexed by expert. The
 * operator copies it into {@code status.clusterSizes}.
 */
public record ClusterSizes(List<Long> sizes) {

  public ClusterSizes {
    sizes = List.copyOf(sizes);
  }

  public long total() {
    return sizes.stream().mapToLong(Long::longValue).sum();
  }
}
