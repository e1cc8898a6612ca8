package dev.archipelago.trainer.job;

import java.util.function.LongToDoubleFunction;

/** Linear warm-up to the peak rate over {@code warmupSteps}, then constant (as DiT trains). */
public final class LearningRateSchedule {
  private LearningRateSchedule() {}

  public static LongToDoubleFunction warmup(double peak, long warmupSteps) {
    return step ->
        warmupSteps <= 0 ? peak : peak * Math.min(1.0, (step + 1) / (double) warmupSteps);
  }
}
