package dev.archipelago.trainer.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the generated images' factors compare with the data's, both as the classifier reads them (so
 * its errors fall on both sides alike): per factor, the total variation distance between the two
 * distributions of its values; and the share of factor cells (every combination of values) that at
 * least one image falls in, next to the same share for as many real images.
 *
 * @param distances per factor, in {@link ShapeFactors#NAMES} order, ½ Σ |p − q|
 * @param coverage cells hit by the generated images / all cells
 * @param referenceCoverage cells hit by the same number of real images / all cells
 */
public record FactorReport(List<Double> distances, double coverage, double referenceCoverage) {

  public static FactorReport of(int[][] generated, int[][] reference) {
    Double[] distances = new Double[ShapeFactors.count()];
    for (int f = 0; f < distances.length; f++) {
      double[] p = histogram(generated, f);
      double[] q = histogram(reference, f);
      double tv = 0;
      for (int v = 0; v < p.length; v++) {
        tv += 0.5 * Math.abs(p[v] - q[v]);
      }
      distances[f] = tv;
    }
    int n = Math.min(generated.length, reference.length);
    return new FactorReport(List.of(distances), coverage(generated, n), coverage(reference, n));
  }

  private static double[] histogram(int[][] factors, int f) {
    double[] shares = new double[ShapeFactors.CARDINALITIES[f]];
    for (int[] row : factors) {
      shares[row[f]] += 1.0 / factors.length;
    }
    return shares;
  }

  /** Cells hit by the first {@code n} images, so both sides are counted at the same size. */
  private static double coverage(int[][] factors, int n) {
    Set<Integer> cells = new HashSet<>();
    for (int i = 0; i < n; i++) {
      cells.add(ShapeFactors.cell(factors[i]));
    }
    return cells.size() / (double) ShapeFactors.cells();
  }
}
