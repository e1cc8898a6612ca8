package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the router's training draws the flow time t of each sample. */
public enum RouterTimeSampling {
  /**
   * t ~ U(0, 1): every time the sampler asks about is trained, the start at t = 1 included (the
   * default; logit-normal puts 0.16 % of its mass above t = 0.95).
   */
  @JsonProperty("uniform")
  UNIFORM,
  /** The experts' logit-normal(0, 1), concentrated on intermediate times. */
  @JsonProperty("logitNormal")
  LOGIT_NORMAL
}
