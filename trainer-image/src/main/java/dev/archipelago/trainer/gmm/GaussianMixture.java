package dev.archipelago.trainer.gmm;

import dev.archipelago.trainer.random.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A mixture of Gaussians with diagonal covariances, p(x0) = Σ_k π_k N(x0; μ_k, diag σ²_k): a data
 * set whose every optimum (router posterior, expert velocity) has a closed form ({@link
 * NoisedMixture}), so what a trained ensemble gets wrong can be measured against the truth.
 *
 * @param weights π_k, summing to 1
 * @param means μ_k, one row per component
 * @param variances σ²_k per dimension, one row per component
 */
public record GaussianMixture(double[] weights, double[][] means, double[][] variances) {
  private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

  public GaussianMixture {
    if (weights.length == 0
        || means.length != weights.length
        || variances.length != weights.length) {
      throw new IllegalArgumentException("one weight, mean and variance row per component");
    }
    double total = Arrays.stream(weights).sum();
    if (Math.abs(total - 1) > 1e-9 || Arrays.stream(weights).anyMatch(w -> w <= 0)) {
      throw new IllegalArgumentException("weights must be positive and sum to 1, not " + total);
    }
    for (int k = 0; k < weights.length; k++) {
      if (means[k].length != means[0].length || variances[k].length != means[0].length) {
        throw new IllegalArgumentException("component " + k + " has another dimension");
      }
      if (Arrays.stream(variances[k]).anyMatch(v -> v <= 0)) {
        throw new IllegalArgumentException("component " + k + " has a non-positive variance");
      }
    }
  }

  /**
   * A reproducible mixture: means in random directions at distance {@code separation} from the
   * origin, per-dimension standard deviations in [0.3, 0.6]·{@code spread}, and unequal weights
   * (π_k ∝ k + 1, shuffled), so that recovering the weights is a real test.
   */
  public static GaussianMixture random(
      int components, int dimension, double separation, double spread, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] means = new double[components][dimension];
    double[][] variances = new double[components][dimension];
    for (int k = 0; k < components; k++) {
      double norm = 0;
      for (int j = 0; j < dimension; j++) {
        means[k][j] = random.nextGaussian();
        norm += means[k][j] * means[k][j];
      }
      for (int j = 0; j < dimension; j++) {
        means[k][j] *= separation / Math.sqrt(norm);
        double sd = spread * (0.3 + 0.3 * random.nextDouble());
        variances[k][j] = sd * sd;
      }
    }
    double[] weights = new double[components];
    double total = components * (components + 1) / 2.0;
    int[] order = Seeds.permutation(components, random);
    for (int k = 0; k < components; k++) {
      weights[order[k]] = (k + 1) / total;
    }
    return new GaussianMixture(weights, means, variances);
  }

  public int components() {
    return weights.length;
  }

  public int dimension() {
    return means[0].length;
  }

  /** Draws {@code n} samples; {@code component[i]} is the one sample i came from. */
  public Draws sample(int n, SplittableRandom random) {
    double[][] x = new double[n][dimension()];
    int[] component = new int[n];
    for (int i = 0; i < n; i++) {
      int k = pick(random.nextDouble());
      component[i] = k;
      for (int j = 0; j < dimension(); j++) {
        x[i][j] = means[k][j] + Math.sqrt(variances[k][j]) * random.nextGaussian();
      }
    }
    return new Draws(x, component);
  }

  /** log π_k + log N(x; μ_k, diag σ²_k) for every k. */
  public double[] logJoint(double[] x) {
    double[] out = new double[components()];
    for (int k = 0; k < components(); k++) {
      out[k] = Math.log(weights[k]) + logNormal(x, means[k], 1, variances[k], 0);
    }
    return out;
  }

  /** The component most likely to have drawn {@code x}. */
  public int mostLikelyComponent(double[] x) {
    return argmax(logJoint(x));
  }

  /**
   * log N(x; scale·μ, diag(scale²·σ² + noise)): a component seen through x_t = (1−t)·x0 + t·ε is
   * this with scale = 1 − t and noise = t².
   */
  static double logNormal(
      double[] x, double[] mean, double scale, double[] variance, double noise) {
    double sum = 0;
    for (int j = 0; j < x.length; j++) {
      double s = scale * scale * variance[j] + noise;
      double r = x[j] - scale * mean[j];
      sum += r * r / s + Math.log(s) + LOG_TWO_PI;
    }
    return -0.5 * sum;
  }

  static int argmax(double[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  private int pick(double u) {
    double cumulative = 0;
    for (int k = 0; k < components() - 1; k++) {
      cumulative += weights[k];
      if (u < cumulative) {
        return k;
      }
    }
    return components() - 1;
  }

  /** Samples and the component each came from. */
  public record Draws(double[][] x, int[] component) {}
}
