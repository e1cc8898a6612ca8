package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The ODE solver used for sampling. */
public enum Sampler {
  @JsonProperty("euler")
  EULER,
  /** Second order; twice the model evaluations per step. */
  @JsonProperty("heun")
  HEUN
}
