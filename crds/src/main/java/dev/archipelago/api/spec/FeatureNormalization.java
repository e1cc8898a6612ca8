package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How images are scaled before a TorchScript feature encoder sees them. */
public enum FeatureNormalization {
  /** Values in [−1, 1], the trainer's own convention. */
  @JsonProperty("signed")
  SIGNED,
  /** [0, 1] then (x − mean) / std per channel with ImageNet's statistics, as DINOv2 expects. */
  @JsonProperty("imagenet")
  IMAGENET
}
