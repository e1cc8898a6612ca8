package dev.archipelago.trainer.eval;

import java.util.List;
import java.util.Locale;

/**
 * What {@code archipelago evaluate} reports: how the samples were drawn, how well the classifier
 * reads the factors, the distances of the samples and of the real noise floor, and the cost.
 *
 * @param run the run's name
 * @param arm how the images were sampled, e.g. {@code top1 euler 50 steps}
 * @param count images generated (and real images in each real set)
 * @param classifierAccuracies held-out accuracy of each factor head
 * @param trainingSamples the run's training set size (what memorisation searches)
 */
public record QualityReport(
    String run,
    String arm,
    int count,
    List<Double> classifierAccuracies,
    long trainingSamples,
    SampleQuality.Measured measured,
    InferenceCost cost,
    double secondsPerImage) {

  /** A markdown table: one row per metric, the samples and the floor side by side. */
  public String table() {
    SampleQuality.Scores g = measured.generated();
    SampleQuality.Scores f = measured.floor();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "run %s, %s, %d images%n%n", run, arm, count));
    out.append("| metric | samples | real (noise floor) |\n|---|---|---|\n");
    row(
        out,
        "Fréchet distance (classifier features)",
        interval(g.frechet()),
        interval(f.frechet()));
    row(out, "kernel distance ×1e3", interval(g.kernel(), 1e3), interval(f.kernel(), 1e3));
    for (int i = 0; i < ShapeFactors.count(); i++) {
      row(
          out,
          ShapeFactors.NAMES.get(i) + " distance (TV)",
          number(g.factors().distances().get(i)),
          number(f.factors().distances().get(i)));
    }
    row(
        out,
        "factor cells covered (of " + ShapeFactors.cells() + ")",
        number(g.factors().coverage()),
        number(f.factors().coverage()));
    row(
        out,
        "copies of training images (d1 < d2/3, of " + trainingSamples + ")",
        number(g.memorisation().copyRate()),
        number(f.memorisation().copyRate()));
    row(
        out,
        "median RMS distance to nearest training image",
        number(g.memorisation().medianNearest()),
        number(f.memorisation().medianNearest()));
    out.append(
        String.format(
            Locale.ROOT,
            "%ninference: %.4f GFLOPs per step, %d evaluations, %.3f GFLOPs and %.3f s per"
                + " image%n",
            cost.gflopsPerStep(),
            cost.evaluations(),
            cost.gflopsPerImage(),
            secondsPerImage));
    out.append(String.format(Locale.ROOT, "classifier held-out accuracy:"));
    for (int i = 0; i < ShapeFactors.count(); i++) {
      out.append(
          String.format(
              Locale.ROOT, " %s %.3f", ShapeFactors.NAMES.get(i), classifierAccuracies.get(i)));
    }
    return out.append('\n').toString();
  }

  private static void row(StringBuilder out, String metric, String samples, String floor) {
    out.append("| ").append(metric).append(" | ").append(samples).append(" | ").append(floor);
    out.append(" |\n");
  }

  private static String interval(Bootstrap.Estimate e) {
    return interval(e, 1);
  }

  private static String interval(Bootstrap.Estimate e, double scale) {
    if (Double.isNaN(e.low())) {
      return number(e.value() * scale);
    }
    return String.format(
        Locale.ROOT, "%.4f [%.4f, %.4f]", e.value() * scale, e.low() * scale, e.high() * scale);
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
