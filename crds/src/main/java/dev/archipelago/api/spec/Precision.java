package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Number format of the training step's forward and backward passes; master weights, optimizer state
 * and the EMA stay fp32. No bf16: the trainer's engine binding (DJL 0.36's PyTorch JNI) cannot
 * create bfloat16 tensors, so the API does not offer what no pod could run.
 */
public enum Precision {
  @JsonProperty("fp32")
  FP32,
  @JsonProperty("fp16")
  FP16
}
