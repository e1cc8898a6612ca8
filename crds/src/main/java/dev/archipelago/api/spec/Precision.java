package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Numeric precision of the training step; master weights stay fp32. */
public enum Precision {
  @JsonProperty("fp32")
  FP32,
  @JsonProperty("bf16")
  BF16,
  @JsonProperty("fp16")
  FP16
}
