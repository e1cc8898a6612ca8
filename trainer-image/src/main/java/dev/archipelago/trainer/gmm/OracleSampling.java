package dev.archipelago.trainer.gmm;

import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.serve.EnsembleVelocity;
import dev.archipelago.trainer.serve.FlowSampler;
import dev.archipelago.trainer.serve.Routing;
import dev.archipelago.trainer.serve.StartingNoise;
import dev.archipelago.trainer.serve.VelocityModel;

/**
 * Samples the oracle ensemble ({@link ExactEnsemble}) with the server's routing and sampler: the
 * same starting noise for a seed whatever the strategy, so strategies are compared pairwise.
 */
public final class OracleSampling {
  private OracleSampling() {}

  public static double[][] sample(
      ExactEnsemble ensemble, Routing routing, Sampler sampler, int steps, int count, long seed) {
    EnsembleVelocity velocity =
        new EnsembleVelocity(
            ensemble.router(), ensemble.experts(), routing, seed, null, (k, images) -> {});
    return sample(ensemble, velocity, sampler, steps, count, seed);
  }

  /** Expert {@code k} alone for every image and step: the paper's "sample one expert" control. */
  public static double[][] sampleOneExpert(
      ExactEnsemble ensemble, int k, Sampler sampler, int steps, int count, long seed) {
    return sample(ensemble, ensemble.experts().get(k), sampler, steps, count, seed);
  }

  private static double[][] sample(
      ExactEnsemble ensemble,
      VelocityModel velocity,
      Sampler sampler,
      int steps,
      int count,
      long seed) {
    float[] noise = StartingNoise.draw(seed, count, ensemble.shape());
    float[] flat = FlowSampler.sample(velocity, sampler, ensemble.shape(), noise, null, 1f, steps);
    int d = ensemble.shape().values();
    double[][] out = new double[count][d];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < d; j++) {
        out[i][j] = flat[i * d + j];
      }
    }
    return out;
  }
}
