package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How samples are split into expert clusters. */
public enum PartitioningMethod {
  /** Two-stage k-means: many fine clusters first, then merged into one cluster per expert. */
  @JsonProperty("kmeans")
  KMEANS,
  /** Uniformly random assignment; the ablation baseline. */
  @JsonProperty("random")
  RANDOM
}
