package dev.archipelago.trainer.gmm;

import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.serve.EnsembleVelocity;
import dev.archipelago.trainer.serve.ExpertRouter;
import dev.archipelago.trainer.serve.FlowSampler;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.Routing;
import dev.archipelago.trainer.serve.StartingNoise;
import dev.archipelago.trainer.serve.VelocityModel;
import java.util.List;

/**
 * Samples an ensemble with the server's routing and sampler, as rows of doubles: the oracle ({@link
 * ExactEnsemble}) or trained models. The same starting noise for a seed whatever the models and
 * strategy, so arms are compared pairwise.
 */
public final class OracleSampling {
  private OracleSampling() {}

  public static double[][] sample(
      ExactEnsemble ensemble, Routing routing, Sampler sampler, int steps, int count, long seed) {
    return sample(
        ensemble.router(),
        ensemble.experts(),
        ensemble.shape(),
        routing,
        sampler,
        steps,
        count,
        seed);
  }

  /** Any router and experts (trained ones, for the trained arms of a study). */
  public static double[][] sample(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      ImageShape shape,
      Routing routing,
      Sampler sampler,
      int steps,
      int count,
      long seed) {
    EnsembleVelocity velocity =
        new EnsembleVelocity(router, experts, routing, seed, null, (k, images) -> {});
    return sampleOne(velocity, shape, sampler, steps, count, seed);
  }

  /** Expert {@code k} alone for every image and step: the paper's "sample one expert" control. */
  public static double[][] sampleOneExpert(
      ExactEnsemble ensemble, int k, Sampler sampler, int steps, int count, long seed) {
    return sampleOne(ensemble.experts().get(k), ensemble.shape(), sampler, steps, count, seed);
  }

  /** One velocity model for every image (a monolith, or one expert). */
  public static double[][] sampleOne(
      VelocityModel velocity, ImageShape shape, Sampler sampler, int steps, int count, long seed) {
    float[] noise = StartingNoise.draw(seed, count, shape);
    float[] flat = FlowSampler.sample(velocity, sampler, shape, noise, null, 1f, steps);
    int d = shape.values();
    double[][] out = new double[count][d];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < d; j++) {
        out[i][j] = flat[i * d + j];
      }
    }
    return out;
  }
}
