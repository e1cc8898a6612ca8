package dev.archipelago.trainer.partition;

/** Squared Euclidean distances and nearest-centroid search. */
final class Distances {
  private Distances() {}

  static double squared(float[] a, float[] b) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      double diff = a[d] - b[d];
      sum += diff * diff;
    }
    return sum;
  }

  /** Index of the centroid nearest to {@code x}; ties go to the lower index. */
  static int nearest(float[] x, float[][] centroids) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      double distance = squared(x, centroids[c]);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    return best;
  }
}
