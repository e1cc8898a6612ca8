package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the router's expert weights combine expert predictions at each sampling step. */
public enum InferenceStrategy {
  /** Only the most likely expert. */
  @JsonProperty("top1")
  TOP1,
  /** The k most likely experts, renormalised. */
  @JsonProperty("topk")
  TOPK,
  /** Every expert, weighted by the router. */
  @JsonProperty("full")
  FULL,
  /** One expert drawn from the router's distribution. */
  @JsonProperty("sample")
  SAMPLE
}
