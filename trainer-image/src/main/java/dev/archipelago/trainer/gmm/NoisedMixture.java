package dev.archipelago.trainer.gmm;

/**
 * The closed-form optima of a decentralized flow model on a {@link GaussianMixture}, with x_t =
 * (1−t)·x0 + t·ε. Given component k, x_t ~ N((1−t)μ_k, diag((1−t)²σ²_k + t²)), so
 *
 * <ul>
 *   <li>the router's optimum is r*(k | x_t, t) ∝ π_k · N(x_t; (1−t)μ_k, (1−t)²σ²_k + t²);
 *   <li>expert k's optimum (trained on component k alone) is v*_k = E[ε − x0 | x_t, k], per
 *       dimension (t − (1−t)σ²)/s · (x_t − (1−t)μ) − μ with s = (1−t)²σ² + t²;
 *   <li>the mixture's own optimum is Σ_k r*_k v*_k: the full ensemble of exact experts is exact.
 * </ul>
 */
public final class NoisedMixture {
  private final GaussianMixture mixture;

  public NoisedMixture(GaussianMixture mixture) {
    this.mixture = mixture;
  }

  public GaussianMixture mixture() {
    return mixture;
  }

  /** r*(k | x_t, t) for every k. */
  public double[] posterior(double[] x, double t) {
    double[] log = new double[mixture.components()];
    for (int k = 0; k < log.length; k++) {
      log[k] =
          Math.log(mixture.weights()[k])
              + GaussianMixture.logNormal(
                  x, mixture.means()[k], 1 - t, mixture.variances()[k], t * t);
    }
    return softmax(log);
  }

  /** v*_k(x_t, t): the velocity an expert that saw only component k converges to. */
  public double[] componentVelocity(int k, double[] x, double t) {
    double[] mean = mixture.means()[k];
    double[] variance = mixture.variances()[k];
    double[] v = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      double s = (1 - t) * (1 - t) * variance[j] + t * t;
      v[j] = (t - (1 - t) * variance[j]) / s * (x[j] - (1 - t) * mean[j]) - mean[j];
    }
    return v;
  }

  /** v*(x_t, t) of the whole mixture: Σ_k r*(k | x_t, t) · v*_k(x_t, t). */
  public double[] velocity(double[] x, double t) {
    double[] r = posterior(x, t);
    double[] v = new double[x.length];
    for (int k = 0; k < r.length; k++) {
      double[] vk = componentVelocity(k, x, t);
      for (int j = 0; j < x.length; j++) {
        v[j] += r[k] * vk[j];
      }
    }
    return v;
  }

  static double[] softmax(double[] log) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : log) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] out = new double[log.length];
    for (int k = 0; k < log.length; k++) {
      out[k] = Math.exp(log[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < log.length; k++) {
      out[k] /= sum;
    }
    return out;
  }
}
