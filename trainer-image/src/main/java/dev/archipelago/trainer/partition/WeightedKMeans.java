package dev.archipelago.trainer.partition;

import dev.archipelago.trainer.random.Seeds;
import java.util.Arrays;

/**
 * Lloyd's k-means over a few weighted points (the fine centroids, weighted by how many samples each
 * holds), from several k-means++ seedings; the run with the least weighted inertia wins.
 */
public final class WeightedKMeans {
  private static final int MAX_ITERATIONS = 300;

  private final int restarts;

  public WeightedKMeans(int restarts) {
    this.restarts = restarts;
  }

  /** The clustering of the points. */
  public record Result(float[][] centroids, int[] assignment, double inertia) {}

  public Result fit(float[][] points, double[] weights, int k, long seed) {
    if (k < 1 || k > points.length) {
      throw new IllegalArgumentException("cannot make " + k + " clusters of " + points.length);
    }
    Result best = null;
    for (int r = 0; r < restarts; r++) {
      Result result =
          lloyd(points, weights, KMeansPlusPlus.seed(points, weights, k, Seeds.random(seed, r)));
      if (best == null || result.inertia() < best.inertia()) {
        best = result;
      }
    }
    return best;
  }

  private static Result lloyd(float[][] points, double[] weights, float[][] centres) {
    int k = centres.length;
    int dimension = points[0].length;
    int[] assignment = new int[points.length];
    Arrays.fill(assignment, -1);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      boolean changed = false;
      for (int i = 0; i < points.length; i++) {
        int c = Distances.nearest(points[i], centres);
        if (c != assignment[i]) {
          assignment[i] = c;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      double[][] sums = new double[k][dimension];
      double[] mass = new double[k];
      for (int i = 0; i < points.length; i++) {
        mass[assignment[i]] += weights[i];
        for (int d = 0; d < dimension; d++) {
          sums[assignment[i]][d] += weights[i] * points[i][d];
        }
      }
      for (int c = 0; c < k; c++) {
        // A centre that lost all its mass stays where it is rather than becoming NaN.
        if (mass[c] > 0) {
          for (int d = 0; d < dimension; d++) {
            centres[c][d] = (float) (sums[c][d] / mass[c]);
          }
        }
      }
    }
    double inertia = 0;
    for (int i = 0; i < points.length; i++) {
      inertia += weights[i] * Distances.squared(points[i], centres[assignment[i]]);
    }
    return new Result(centres, assignment, inertia);
  }
}
