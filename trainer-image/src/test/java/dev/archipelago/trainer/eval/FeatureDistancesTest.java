package dev.archipelago.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Fréchet and kernel distances against their closed forms and brute-force definitions, and the
 * bootstrap against the standard error of a mean.
 */
class FeatureDistancesTest {

  @Test
  void frechetDistanceOfGaussiansMatchesItsClosedForm() {
    // N(0, diag a²) vs N(μ, diag b²): |μ|² + Σ (a − b)².
    double[] mean = {1.0, -0.5, 0, 0.25};
    double[] a = {1, 2, 0.5, 1};
    double[] b = {1, 1, 0.5, 3};
    double expected = 0;
    for (int i = 0; i < 4; i++) {
      expected += mean[i] * mean[i] + (a[i] - b[i]) * (a[i] - b[i]);
    }
    double[][] x = gaussian(20000, new double[4], a, 1);
    double[][] y = gaussian(20000, mean, b, 2);
    assertThat(FrechetDistance.between(x, y)).isCloseTo(expected, within(0.1));
    assertThat(FrechetDistance.between(x, x)).isCloseTo(0, within(1e-6));
  }

  @Test
  void frechetDistanceSeesARotatedCovariance() {
    // Same marginal variances, opposite correlation: only the full covariance tells them apart.
    double[][] x = correlated(20000, 0.8, 3);
    double[][] y = correlated(20000, -0.8, 4);
    // Σ₁ = [[1, .8], [.8, 1]], Σ₂ = [[1, −.8], [−.8, 1]]: eigenvalues 1.8/0.2 along swapped axes,
    // so the distance is 2 · (√1.8 − √0.2)² = 1.6.
    assertThat(FrechetDistance.between(x, y)).isCloseTo(1.6, within(0.05));
  }

  @Test
  void aResampleThatTakesEveryRowOnceIsTheSetItself() {
    double[][] x = gaussian(300, new double[3], new double[] {1, 1, 1}, 5);
    double[][] y = gaussian(300, new double[] {1, 0, 0}, new double[] {1, 2, 1}, 6);
    int[] once = new int[300];
    Arrays.fill(once, 1);
    assertThat(FrechetDistance.between(x, once, y)).isEqualTo(FrechetDistance.between(x, y));
    KernelDistance kernel = new KernelDistance(x, y);
    assertThat(kernel.estimate(once)).isEqualTo(kernel.estimate());
  }

  @Test
  void theKernelDistanceIsTheUnbiasedMmdOfItsDefinition() {
    double[][] x = gaussian(40, new double[3], new double[] {1, 1, 1}, 7);
    double[][] y = gaussian(30, new double[] {0.5, 0, 0}, new double[] {1, 1, 1}, 8);
    assertThat(new KernelDistance(x, y).estimate()).isCloseTo(bruteForceMmd(x, y), within(1e-5));
    // A resample with duplicates is the same estimator on the expanded set.
    int[] counts = new int[40];
    counts[0] = 3;
    counts[5] = 2;
    for (int i = 10; i < 40; i++) {
      counts[i] = 1;
    }
    double[][] expanded = new double[35][];
    int next = 0;
    for (int i = 0; i < 40; i++) {
      for (int c = 0; c < counts[i]; c++) {
        expanded[next++] = x[i];
      }
    }
    assertThat(new KernelDistance(x, y).estimate(counts))
        .isCloseTo(bruteForceMmd(expanded, y), within(1e-5));
  }

  @Test
  void theKernelDistanceIsAboutZeroForOneDistributionAndPositiveForTwo() {
    double[] ones = {1, 1, 1, 1};
    double[][] reference = gaussian(1000, new double[4], ones, 9);
    double same = new KernelDistance(gaussian(1000, new double[4], ones, 10), reference).estimate();
    double shifted =
        new KernelDistance(gaussian(1000, new double[] {1, 0, 0, 0}, ones, 11), reference)
            .estimate();
    assertThat(Math.abs(same)).isLessThan(shifted / 20);
    assertThat(shifted).isPositive();
  }

  @Test
  void theBootstrapIntervalOfAMeanIsAboutFourStandardErrorsWide() {
    SplittableRandom random = new SplittableRandom(12);
    double[] values = new double[400];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    Bootstrap.Estimate mean =
        Bootstrap.of(
            values.length,
            2000,
            13,
            counts -> {
              double sum = 0;
              for (int i = 0; i < counts.length; i++) {
                sum += counts[i] * values[i];
              }
              return sum / values.length;
            });
    // ±1.96 standard errors of 1/√400.
    assertThat(mean.high() - mean.low()).isCloseTo(2 * 1.96 / 20, within(0.03));
    assertThat(mean.value()).isBetween(mean.low(), mean.high());
    assertThat(Bootstrap.percentile(new double[] {0, 10}, 0.25)).isEqualTo(2.5);
  }

  private static double bruteForceMmd(double[][] x, double[][] y) {
    double xx = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        xx += i == j ? 0 : kernel(x[i], x[j]);
      }
    }
    double yy = 0;
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < y.length; j++) {
        yy += i == j ? 0 : kernel(y[i], y[j]);
      }
    }
    double xy = 0;
    for (double[] u : x) {
      for (double[] v : y) {
        xy += kernel(u, v);
      }
    }
    int n = x.length;
    int m = y.length;
    return xx / (n * (n - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double) n * m);
  }

  private static double kernel(double[] u, double[] v) {
    double dot = 0;
    for (int i = 0; i < u.length; i++) {
      dot += u[i] * v[i];
    }
    return Math.pow(dot / u.length + 1, 3);
  }

  static double[][] gaussian(int n, double[] mean, double[] sd, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] out = new double[n][mean.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < mean.length; j++) {
        out[i][j] = mean[j] + sd[j] * random.nextGaussian();
      }
    }
    return out;
  }

  private static double[][] correlated(int n, double rho, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] out = new double[n][2];
    for (int i = 0; i < n; i++) {
      double u = random.nextGaussian();
      double v = random.nextGaussian();
      out[i][0] = u;
      out[i][1] = rho * u + Math.sqrt(1 - rho * rho) * v;
    }
    return out;
  }
}
