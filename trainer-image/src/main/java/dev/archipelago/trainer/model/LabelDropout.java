package dev.archipelago.trainer.model;

import java.util.random.RandomGenerator;

/**
 * Classifier-free guidance training: each label is replaced by the null class ({@code numClasses})
 * with probability {@code probability}. Done by the caller with its own generator rather than in
 * the model, so the dropped labels are reproducible from the step's seed.
 */
public final class LabelDropout {
  private LabelDropout() {}

  public static long[] apply(
      int[] labels, double probability, int numClasses, RandomGenerator random) {
    long[] out = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " outside 0.." + (numClasses - 1));
      }
      out[i] = random.nextDouble() < probability ? numClasses : labels[i];
    }
    return out;
  }
}
