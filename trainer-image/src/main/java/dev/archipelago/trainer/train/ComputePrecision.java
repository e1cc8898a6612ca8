package dev.archipelago.trainer.train;

import ai.djl.ndarray.types.DataType;
import dev.archipelago.api.spec.Precision;

/**
 * The number format of the forward and backward pass. Master weights, optimizer moments, the EMA
 * and checkpoints stay fp32 in every mode; only the working copies the passes run on change. (No
 * bf16: DJL 0.36's PyTorch JNI aborts the JVM on any bfloat16 tensor.)
 */
public enum ComputePrecision {
  FP32(DataType.FLOAT32, false),
  /** float16: gradients underflow without a scaled loss ({@link LossScaler}). */
  FP16(DataType.FLOAT16, true);

  private final DataType dataType;
  private final boolean needsLossScaling;

  ComputePrecision(DataType dataType, boolean needsLossScaling) {
    this.dataType = dataType;
    this.needsLossScaling = needsLossScaling;
  }

  public static ComputePrecision of(Precision precision) {
    if (precision == null) {
      return FP32;
    }
    return switch (precision) {
      case FP32 -> FP32;
      case FP16 -> FP16;
    };
  }

  public DataType dataType() {
    return dataType;
  }

  public boolean needsLossScaling() {
    return needsLossScaling;
  }
}
