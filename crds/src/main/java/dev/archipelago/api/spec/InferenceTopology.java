package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the ensemble's models run when serving. */
public enum InferenceTopology {
  /** Router and all experts in each replica's pod. */
  @JsonProperty("colocated")
  COLOCATED,
  /** A router Deployment plus one Deployment per expert. */
  @JsonProperty("distributed")
  DISTRIBUTED
}
