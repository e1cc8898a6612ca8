package dev.archipelago.trainer.serve;

import dev.archipelago.trainer.train.ComputePrecision;
import java.util.Locale;

/**
 * The number format experts serve in (the router stays fp32). {@code auto} is fp16 where a GPU runs
 * the models (tensor cores, half the memory traffic) and fp32 on CPUs, whose fp16 kernels are
 * slower than fp32. Weights are stored fp32 and converted as they load; the wire and the answers
 * stay fp32.
 */
public final class ExpertPrecision {
  private ExpertPrecision() {}

  /**
   * @param flag {@code auto}, {@code fp32} or {@code fp16}
   * @param gpus the GPUs the models would run on
   */
  public static ComputePrecision resolve(String flag, int gpus) {
    return switch (flag.toLowerCase(Locale.ROOT)) {
      case "auto" -> gpus > 0 ? ComputePrecision.FP16 : ComputePrecision.FP32;
      case "fp32" -> ComputePrecision.FP32;
      case "fp16" -> ComputePrecision.FP16;
      default ->
          throw new IllegalArgumentException(
              "--precision: unknown precision '" + flag + "'; expected auto, fp32 or fp16");
    };
  }
}
