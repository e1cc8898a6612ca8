package dev.archipelago.trainer.train;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** How the flow time t ∈ (0, 1) of each training sample is drawn. */
public interface TimeSampler {

  float sample(RandomGenerator random);

  /**
   * t = sigmoid(mean + std · z), z ~ N(0, 1): concentrates training on intermediate times, where
   * the velocity is hardest to predict (Esser et al. 2024, the default for rectified flow).
   */
  static TimeSampler logitNormal(double mean, double std) {
    return random -> (float) (1 / (1 + Math.exp(-(mean + std * random.nextGaussian()))));
  }

  /** t ~ U(0, 1). */
  static TimeSampler uniform() {
    return random -> (float) random.nextDouble();
  }

  /** "logit-normal" (mean 0, std 1) or "uniform". */
  static TimeSampler fromName(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "logit-normal":
        return logitNormal(0, 1);
      case "uniform":
        return uniform();
      default:
        throw new IllegalArgumentException(
            "unknown time sampler '" + name + "'; expected logit-normal or uniform");
    }
  }
}
