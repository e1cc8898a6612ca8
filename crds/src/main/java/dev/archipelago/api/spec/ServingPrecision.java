package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The number format serving pods run the experts in (the router always runs in fp32). */
public enum ServingPrecision {
  /** fp16 where the pod has a GPU, fp32 on CPUs (whose fp16 kernels are slower). */
  @JsonProperty("auto")
  AUTO,
  @JsonProperty("fp32")
  FP32,
  @JsonProperty("fp16")
  FP16;

  /** The value of {@code serve --precision}. */
  public String flag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
