package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the experts and the router train on. */
public enum DatasetFormat {
  /** Decoded pixels of the images in the shards. */
  @JsonProperty("images")
  IMAGES,
  /** Float tensors ({@code .npy}, [C, H, W]) from a VAE, as spec.dataset.latents describes. */
  @JsonProperty("latents")
  LATENTS
}
