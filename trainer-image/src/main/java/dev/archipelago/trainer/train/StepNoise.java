package dev.archipelago.trainer.train;

import dev.archipelago.trainer.model.LabelDropout;
import dev.archipelago.trainer.random.Seeds;
import java.util.SplittableRandom;

/**
 * The random draws of one training step: flow times, Gaussian noise and (for class-conditional
 * models) which labels are dropped. A pure function of (seed, step), so a resumed run draws exactly
 * what the uninterrupted run would have.
 */
public record StepNoise(float[] times, float[] noise, long[] labels) {
  private static final long STEP_STREAM = 101;

  /**
   * @param sampleSize values per sample (C·H·W)
   * @param labels class labels of the batch, or null for an unconditional model
   * @param numClasses classes of a conditional model (the null class is {@code numClasses})
   */
  public static StepNoise draw(
      long seed,
      long step,
      int batchSize,
      int sampleSize,
      TimeSampler timeSampler,
      int[] labels,
      int numClasses,
      double classDropout) {
    SplittableRandom random = Seeds.random(seed, STEP_STREAM, step);
    float[] times = new float[batchSize];
    for (int i = 0; i < batchSize; i++) {
      times[i] = timeSampler.sample(random);
    }
    float[] noise = new float[batchSize * sampleSize];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) random.nextGaussian();
    }
    long[] dropped =
        labels == null ? null : LabelDropout.apply(labels, classDropout, numClasses, random);
    return new StepNoise(times, noise, dropped);
  }
}
