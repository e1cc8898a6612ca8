package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What classifier-free guidance extrapolates in an ensemble. */
public enum GuidanceMode {
  /**
   * The mixture's guidance (default): v(∅) + g·(v(c) − v(∅)) with each side the routed ensemble,
   * v(∅) = Σ_k r(k | x, ∅)·v_k(∅) from the router's null-class posterior. This is guidance of the
   * model being sampled; the router is trained with label dropout, so it knows r(k | x, ∅).
   */
  @JsonProperty("mixture")
  MIXTURE,
  /** Each chosen expert guides itself, v_k(∅) + g·(v_k(c) − v_k(∅)), routed on the class only. */
  @JsonProperty("perExpert")
  PER_EXPERT
}
