package dev.archipelago.trainer.bench;

/** "mean ± sd" of a figure over seeds, as the study tables print it. */
final class SeedSpread {
  private SeedSpread() {}

  static String of(double[] values) {
    double mean = 0;
    for (double v : values) {
      mean += v / values.length;
    }
    double variance = 0;
    for (double v : values) {
      variance += (v - mean) * (v - mean) / Math.max(1, values.length - 1);
    }
    return String.format("%.4f ± %.4f", mean, Math.sqrt(variance));
  }
}
