package dev.archipelago.trainer.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet distance between Gaussians fitted to two feature sets (FID's formula): |μ₁ − μ₂|² +
 * Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁^½ Σ₂ Σ₁^½)^½. The middle matrix is symmetric positive semi-definite, so
 * the trace of its root is the sum of its eigenvalues' roots; no non-symmetric matrix root (scipy's
 * sqrtm, with its imaginary residue) is needed.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  public static double between(double[][] a, double[][] b) {
    return between(Moments.of(a, null), Moments.of(b, null));
  }

  /** The distance of {@code a} resampled ({@code counts} per row) from {@code b}. */
  public static double between(double[][] a, int[] counts, double[][] b) {
    return between(Moments.of(a, counts), Moments.of(b, null));
  }

  static double between(Moments a, Moments b) {
    int d = a.mean().length;
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
    }
    RealMatrix rootA = symmetricRoot(a.covariance());
    RealMatrix middle = rootA.multiply(b.covariance()).multiply(rootA);
    symmetrise(middle);
    double rootTrace = 0;
    for (double eigenvalue : new EigenDecomposition(middle).getRealEigenvalues()) {
      rootTrace += Math.sqrt(Math.max(0, eigenvalue));
    }
    return meanTerm + a.covariance().getTrace() + b.covariance().getTrace() - 2 * rootTrace;
  }

  private static RealMatrix symmetricRoot(RealMatrix covariance) {
    EigenDecomposition eigen = new EigenDecomposition(covariance);
    double[] values = eigen.getRealEigenvalues();
    RealMatrix v = eigen.getV();
    RealMatrix scaled = v.copy();
    for (int col = 0; col < values.length; col++) {
      double root = Math.sqrt(Math.max(0, values[col]));
      for (int row = 0; row < values.length; row++) {
        scaled.multiplyEntry(row, col, root);
      }
    }
    return scaled.multiply(v.transpose());
  }

  /** Averages the matrix with its transpose: rounding leaves products a hair off symmetric. */
  private static void symmetrise(RealMatrix m) {
    for (int i = 0; i < m.getRowDimension(); i++) {
      for (int j = i + 1; j < m.getColumnDimension(); j++) {
        double mean = (m.getEntry(i, j) + m.getEntry(j, i)) / 2;
        m.setEntry(i, j, mean);
        m.setEntry(j, i, mean);
      }
    }
  }

  /** Mean and unbiased covariance of a set of vectors. */
  record Moments(double[] mean, RealMatrix covariance) {
    /**
     * @param counts how many times each row is taken (a bootstrap resample), or null for once each
     */
    static Moments of(double[][] rows, int[] counts) {
      long n = 0;
      for (int r = 0; r < rows.length; r++) {
        n += counts == null ? 1 : counts[r];
      }
      if (n < 2) {
        throw new IllegalArgumentException("need at least 2 feature vectors, got " + n);
      }
      int d = rows[0].length;
      double[] mean = new double[d];
      for (int r = 0; r < rows.length; r++) {
        double weight = (counts == null ? 1 : counts[r]) / (double) n;
        for (int i = 0; i < d; i++) {
          mean[i] += weight * rows[r][i];
        }
      }
      double[][] covariance = new double[d][d];
      for (int r = 0; r < rows.length; r++) {
        int weight = counts == null ? 1 : counts[r];
        if (weight == 0) {
          continue;
        }
        double[] row = rows[r];
        for (int i = 0; i < d; i++) {
          double ci = weight * (row[i] - mean[i]);
          for (int j = i; j < d; j++) {
            covariance[i][j] += ci * (row[j] - mean[j]);
          }
        }
      }
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          covariance[i][j] /= n - 1;
          covariance[j][i] = covariance[i][j];
        }
      }
      return new Moments(mean, new Array2DRowRealMatrix(covariance, false));
    }
  }
}
