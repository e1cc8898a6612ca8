package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which trained model serving runs. */
public enum ServedModel {
  /** The experts, combined by the router at every step (default). */
  @JsonProperty("ensemble")
  ENSEMBLE,
  /** The distilled student alone: no router, one model evaluation per step. */
  @JsonProperty("student")
  STUDENT
}
