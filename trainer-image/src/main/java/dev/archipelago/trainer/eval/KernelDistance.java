package dev.archipelago.trainer.eval;

/**
 * The kernel distance (KID, Bińkowski et al. 2018) of a generated feature set X from a reference
 * set Y: the unbiased estimate of the squared MMD with the cubic polynomial kernel k(x, y) = (x·y /
 * d + 1)³, over all pairs. Unlike the Fréchet distance it is unbiased, so two samples of one
 * distribution score about 0 at any size.
 *
 * <p>The kernel sums are computed once; a bootstrap resample of X (each generated vector used
 * {@code c_a} times) is then O(n²) without new kernel evaluations: Σ_{i≠j} k(x_i, x_j) = cᵀKc − Σ
 * c_a k_aa.
 */
public final class KernelDistance {
  private final float[][] generatedGram;
  private final double[] crossRowSums;
  private final double referenceTerm;
  private final int referenceCount;

  public KernelDistance(double[][] generated, double[][] reference) {
    if (generated.length < 2 || reference.length < 2) {
      throw new IllegalArgumentException("need at least 2 feature vectors in each set");
    }
    int n = generated.length;
    int d = generated[0].length;
    generatedGram = new float[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = a; b < n; b++) {
        float k = (float) kernel(generated[a], generated[b], d);
        generatedGram[a][b] = k;
        generatedGram[b][a] = k;
      }
    }
    crossRowSums = new double[n];
    for (int a = 0; a < n; a++) {
      for (double[] y : reference) {
        crossRowSums[a] += kernel(generated[a], y, d);
      }
    }
    int m = reference.length;
    double within = 0;
    for (int a = 0; a < m; a++) {
      for (int b = a + 1; b < m; b++) {
        within += 2 * kernel(reference[a], reference[b], d);
      }
    }
    referenceCount = m;
    referenceTerm = within / ((double) m * (m - 1));
  }

  /** MMD²ᵤ of the generated set as given. */
  public double estimate() {
    int[] once = new int[generatedGram.length];
    java.util.Arrays.fill(once, 1);
    return estimate(once);
  }

  /** MMD²ᵤ of the generated set resampled: vector {@code a} taken {@code counts[a]} times. */
  public double estimate(int[] counts) {
    int n = generatedGram.length;
    long total = 0;
    double pairs = 0;
    double cross = 0;
    for (int a = 0; a < n; a++) {
      if (counts[a] == 0) {
        continue;
      }
      total += counts[a];
      double row = 0;
      float[] gram = generatedGram[a];
      for (int b = 0; b < n; b++) {
        row += counts[b] * (double) gram[b];
      }
      pairs += counts[a] * (row - gram[a]);
      cross += counts[a] * crossRowSums[a];
    }
    return pairs / ((double) total * (total - 1))
        + referenceTerm
        - 2 * cross / ((double) total * referenceCount);
  }

  private static double kernel(double[] u, double[] v, int d) {
    double dot = 0;
    for (int i = 0; i < d; i++) {
      dot += u[i] * v[i];
    }
    double base = dot / d + 1;
    return base * base * base;
  }
}
