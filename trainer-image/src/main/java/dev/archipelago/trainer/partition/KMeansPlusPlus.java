package dev.archipelago.trainer.partition;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur &amp; Vassilvitskii 2007), with optional point weights: the first
 * centre is drawn in proportion to weight, each next one in proportion to weight × squared distance
 * to the nearest centre chosen so far.
 */
final class KMeansPlusPlus {
  private KMeansPlusPlus() {}

  static float[][] seed(float[][] points, double[] weights, int k, SplittableRandom random) {
    int n = points.length;
    float[][] centres = new float[k][];
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    boolean[] chosen = new boolean[n];
    for (int c = 0; c < k; c++) {
      double[] score = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        if (!chosen[i] && weights[i] > 0) {
          score[i] = c == 0 ? weights[i] : weights[i] * nearest[i];
          total += score[i];
        }
      }
      int pick = total > 0 ? draw(score, total, random) : firstUnchosen(chosen, weights);
      chosen[pick] = true;
      centres[c] = points[pick].clone();
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], Distances.squared(points[i], centres[c]));
      }
    }
    return centres;
  }

  private static int draw(double[] score, double total, SplittableRandom random) {
    double target = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < score.length; i++) {
      if (score[i] > 0) {
        last = i;
        target -= score[i];
        if (target < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /**
   * When every remaining point coincides with a centre: any unchosen point, weighted ones first.
   */
  private static int firstUnchosen(boolean[] chosen, double[] weights) {
    int fallback = -1;
    for (int i = 0; i < chosen.length; i++) {
      if (!chosen[i]) {
        if (weights[i] > 0) {
          return i;
        }
        if (fallback < 0) {
          fallback = i;
        }
      }
    }
    if (fallback < 0) {
      throw new IllegalArgumentException("more centres requested than points");
    }
    return fallback;
  }
}
