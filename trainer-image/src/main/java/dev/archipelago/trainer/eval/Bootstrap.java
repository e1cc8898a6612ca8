package dev.archipelago.trainer.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap intervals: the statistic recomputed on resamples (with replacement) of the
 * generated set, the reference set held fixed, so the interval is the spread due to which samples
 * were generated. A resample is given as how many times each sample is taken.
 */
public final class Bootstrap {
  /** Two-sided 95 %. */
  private static final double TAIL = 0.025;

  private Bootstrap() {}

  /**
   * @param value the statistic on the set as drawn
   * @param low the 2.5th percentile of the resampled statistic
   * @param high the 97.5th percentile
   */
  public record Estimate(double value, double low, double high) {}

  public static Estimate of(
      int samples, int resamples, long seed, ToDoubleFunction<int[]> statistic) {
    int[] once = new int[samples];
    Arrays.fill(once, 1);
    double value = statistic.applyAsDouble(once);
    if (resamples < 1) {
      return new Estimate(value, Double.NaN, Double.NaN);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] draws = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      int[] counts = new int[samples];
      for (int i = 0; i < samples; i++) {
        counts[random.nextInt(samples)]++;
      }
      draws[r] = statistic.applyAsDouble(counts);
    }
    Arrays.sort(draws);
    return new Estimate(value, percentile(draws, TAIL), percentile(draws, 1 - TAIL));
  }

  /** Linear interpolation between the closest ranks. */
  static double percentile(double[] sorted, double q) {
    double rank = q * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
