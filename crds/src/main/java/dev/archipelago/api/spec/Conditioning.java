package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the model is conditioned on besides the noise level. */
public enum Conditioning {
  @JsonProperty("none")
  NONE,
  /** Class labels read from {@code spec.dataset.labelKey}. */
  @JsonProperty("class")
  CLASS
}
