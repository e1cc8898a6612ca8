package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the partitioner clusters on. */
public enum FeatureExtractor {
  /** Downsampled pixels; needs nothing else. */
  @JsonProperty("pixels")
  PIXELS,
  /** Embeddings from a TorchScript model read from object storage. */
  @JsonProperty("torchscript")
  TORCHSCRIPT,
  /** Precomputed embeddings: a 1-D {@code .npy} part of every sample (features.embeddingKey). */
  @JsonProperty("embedding")
  EMBEDDING
}
