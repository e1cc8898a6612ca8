package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Named DiT sizes (patch size 2); {@code tiny} is for tests and laptops. */
public enum ModelPreset {
  @JsonProperty("tiny")
  TINY,
  @JsonProperty("S")
  S,
  @JsonProperty("B")
  B,
  @JsonProperty("L")
  L,
  @JsonProperty("XL")
  XL
}
