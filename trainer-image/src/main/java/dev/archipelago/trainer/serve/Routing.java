package dev.archipelago.trainer.serve;

import dev.archipelago.api.spec.InferenceStrategy;
import java.util.function.IntToDoubleFunction;

/**
 * Turns the router's p(k | x_t, t) into the weights each image gives each expert at one step (the
 * paper's combination rules): {@code top1} the most likely expert alone, {@code topk} the k most
 * likely renormalised to sum to 1, {@code full} every expert by its probability, {@code sample} one
 * expert drawn from the distribution. Ties go to the lower expert index.
 *
 * @param topK experts combined under {@code topk}; ignored otherwise
 */
public record Routing(InferenceStrategy strategy, int topK) {

  public static Routing top1() {
    return new Routing(InferenceStrategy.TOP1, 1);
  }

  /** How many experts each image is evaluated by at a step, of {@code experts} served. */
  public int expertsPerStep(int experts) {
    return switch (strategy) {
      case TOP1, SAMPLE -> 1;
      case TOPK -> Math.min(topK, experts);
      case FULL -> experts;
    };
  }

  /**
   * @param probabilities row-major [count, experts]
   * @param uniform a uniform draw in [0, 1) per image, used by {@code sample} only
   * @return row-major [count, experts] weights; zero where an expert is not used
   */
  public float[] weights(
      float[] probabilities, int count, int experts, IntToDoubleFunction uniform) {
    float[] weights = new float[count * experts];
    for (int i = 0; i < count; i++) {
      int row = i * experts;
      switch (strategy) {
        case TOP1 -> weights[row + argmax(probabilities, row, experts)] = 1f;
        case TOPK -> topK(probabilities, weights, row, experts);
        case FULL -> System.arraycopy(probabilities, row, weights, row, experts);
        case SAMPLE ->
            weights[row + draw(probabilities, row, experts, uniform.applyAsDouble(i))] = 1f;
      }
    }
    return weights;
  }

  private void topK(float[] probabilities, float[] weights, int row, int experts) {
    int k = Math.min(topK, experts);
    boolean[] chosen = new boolean[experts];
    double total = 0;
    for (int n = 0; n < k; n++) {
      int best = -1;
      for (int e = 0; e < experts; e++) {
        if (!chosen[e] && (best < 0 || probabilities[row + e] > probabilities[row + best])) {
          best = e;
        }
      }
      chosen[best] = true;
      total += probabilities[row + best];
    }
    for (int e = 0; e < experts; e++) {
      if (chosen[e]) {
        weights[row + e] = total > 0 ? (float) (probabilities[row + e] / total) : 1f / k;
      }
    }
  }

  static int argmax(float[] values, int offset, int length) {
    int best = 0;
    for (int e = 1; e < length; e++) {
      if (values[offset + e] > values[offset + best]) {
        best = e;
      }
    }
    return best;
  }

  private static int draw(float[] probabilities, int row, int experts, double u) {
    double cumulative = 0;
    for (int e = 0; e < experts; e++) {
      cumulative += probabilities[row + e];
      if (u < cumulative) {
        return e;
      }
    }
    // Rounding can leave the cumulative sum just below 1.
    return argmax(probabilities, row, experts);
  }
}
