package dev.archipelago.trainer.gmm;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * How far samples are from a {@link GaussianMixture}: each sample is given to its most likely
 * component; the share each component got against its weight (total variation distance), and, per
 * component, the Fréchet distance between its samples' mean and covariance and its own Gaussian.
 *
 * @param shares the share of samples given to each component
 * @param weightDistance ½ Σ |share_k − π_k|
 * @param frechet per component; NaN where fewer than 2 samples fell in it
 */
public record MixtureSampleReport(double[] shares, double weightDistance, double[] frechet) {

  /**
   * The per-component Fréchet distances averaged with the mixture's weights (empty ones count 0).
   */
  public double weightedFrechet(double[] weights) {
    double sum = 0;
    for (int k = 0; k < frechet.length; k++) {
      sum += Double.isNaN(frechet[k]) ? 0 : weights[k] * frechet[k];
    }
    return sum;
  }

  public static MixtureSampleReport of(GaussianMixture mixture, double[][] samples) {
    int components = mixture.components();
    int d = mixture.dimension();
    int[] counts = new int[components];
    double[][] sums = new double[components][d];
    double[][][] products = new double[components][d][d];
    for (double[] x : samples) {
      int k = mixture.mostLikelyComponent(x);
      counts[k]++;
      for (int a = 0; a < d; a++) {
        sums[k][a] += x[a];
        for (int b = 0; b < d; b++) {
          products[k][a][b] += x[a] * x[b];
        }
      }
    }
    double[] shares = new double[components];
    double distance = 0;
    double[] frechet = new double[components];
    for (int k = 0; k < components; k++) {
      shares[k] = counts[k] / (double) samples.length;
      distance += 0.5 * Math.abs(shares[k] - mixture.weights()[k]);
      frechet[k] =
          counts[k] < 2
              ? Double.NaN
              : frechetToDiagonal(
                  sums[k], products[k], counts[k], mixture.means()[k], mixture.variances()[k]);
    }
    return new MixtureSampleReport(shares, distance, frechet);
  }

  /**
   * |m − μ|² + Tr C + Tr Σ − 2 Tr (Σ^½ C Σ^½)^½ for the samples' mean m and covariance C against
   * N(μ, diag σ²); Σ^½ C Σ^½ is symmetric, so its root's trace is the sum of its eigenvalues'
   * roots.
   */
  static double frechetToDiagonal(
      double[] sum, double[][] products, int n, double[] mean, double[] variance) {
    int d = mean.length;
    double[] m = new double[d];
    double meanTerm = 0;
    for (int a = 0; a < d; a++) {
      m[a] = sum[a] / n;
      meanTerm += (m[a] - mean[a]) * (m[a] - mean[a]);
    }
    // Filled from one triangle: exactly symmetric, so the symmetric eigensolver is used.
    RealMatrix middle = new Array2DRowRealMatrix(d, d);
    double traces = 0;
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double covariance = (products[a][b] - n * m[a] * m[b]) / (n - 1);
        double entry = Math.sqrt(variance[a]) * covariance * Math.sqrt(variance[b]);
        middle.setEntry(a, b, entry);
        middle.setEntry(b, a, entry);
        if (a == b) {
          traces += covariance + variance[a];
        }
      }
    }
    double rootTrace = 0;
    for (double eigenvalue : new EigenDecomposition(middle).getRealEigenvalues()) {
      rootTrace += Math.sqrt(Math.max(0, eigenvalue));
    }
    return meanTerm + traces - 2 * rootTrace;
  }
}
