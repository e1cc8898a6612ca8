package dev.archipelago.trainer.eval;

/**
 * A fixed affine map of the classifier's features, measured once on its held-out real images:
 * centred on their mean and scaled so their per-dimension variance averages 1. Distances are then
 * in units of the real data's own spread whatever the network learnt, and the kernel distance's
 * cubic kernel, which is not shift- or scale-invariant, sees features of a sensible size.
 *
 * @param mean the held-out features' mean
 * @param scale 1 / √(mean per-dimension variance)
 */
public record FeatureNormalisation(double[] mean, double scale) {

  public static FeatureNormalisation of(double[][] features) {
    int n = features.length;
    int d = features[0].length;
    double[] mean = new double[d];
    for (double[] row : features) {
      for (int i = 0; i < d; i++) {
        mean[i] += row[i] / n;
      }
    }
    double variance = 0;
    for (double[] row : features) {
      for (int i = 0; i < d; i++) {
        double c = row[i] - mean[i];
        variance += c * c / ((double) (n - 1) * d);
      }
    }
    if (!(variance > 0)) {
      throw new IllegalStateException("the classifier's features do not vary: it did not train");
    }
    return new FeatureNormalisation(mean, 1 / Math.sqrt(variance));
  }

  /** Maps {@code features} in place. */
  void apply(double[][] features) {
    for (double[] row : features) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (row[i] - mean[i]) * scale;
      }
    }
  }
}
