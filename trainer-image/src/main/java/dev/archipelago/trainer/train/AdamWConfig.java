package dev.archipelago.trainer.train;

/**
 * AdamW hyper-parameters.
 *
 * @param learningRate step size (the paper's experts: 1e-4)
 * @param beta1 decay of the first-moment (mean) estimate
 * @param beta2 decay of the second-moment (uncentred variance) estimate
 * @param epsilon added to √v̂ to keep the step finite
 * @param weightDecay decoupled decay: each step multiplies weights by (1 − lr·weightDecay), for
 *     matrices and kernels only (not biases, norms or the class table); DiT trains with 0
 * @param maxGradNorm clip the global L2 norm of all gradients to this; ≤ 0 disables clipping
 */
public record AdamWConfig(
    double learningRate,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    double maxGradNorm) {

  public AdamWConfig {
    if (!(learningRate > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
      throw new IllegalArgumentException("need lr > 0 and betas in [0, 1)");
    }
    if (!(epsilon > 0) || weightDecay < 0) {
      throw new IllegalArgumentException("need epsilon > 0 and weightDecay >= 0");
    }
  }

  /** lr 1e-4, betas (0.9, 0.999), eps 1e-8, no weight decay, clip at 1.0. */
  public static AdamWConfig defaults() {
    return new AdamWConfig(1e-4, 0.9, 0.999, 1e-8, 0.0, 1.0);
  }

  public AdamWConfig withLearningRate(double lr) {
    return new AdamWConfig(lr, beta1, beta2, epsilon, weightDecay, maxGradNorm);
  }
}
