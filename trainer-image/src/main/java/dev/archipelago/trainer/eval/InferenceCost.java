package dev.archipelago.trainer.eval;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.job.ModelConfigs;
import dev.archipelago.trainer.model.DitFlops;
import dev.archipelago.trainer.serve.Routing;

/**
 * What sampling one image costs in model FLOPs, without guidance: per evaluation of the velocity
 * field, the router (when it routes) and each expert the strategy evaluates; per image, that times
 * the evaluations the sampler makes (Heun: two per step but the last).
 *
 * @param gflopsPerStep one evaluation of the field for one image
 * @param evaluations evaluations of the field per image
 * @param gflopsPerImage the whole trajectory of one image
 */
public record InferenceCost(double gflopsPerStep, int evaluations, double gflopsPerImage) {

  /**
   * @param routing the strategy, or null when {@code expert} is sampled alone
   * @param expert the expert sampled alone, or null for the ensemble
   */
  public static InferenceCost of(
      RunConfig config, Routing routing, Integer expert, Sampler sampler, int steps) {
    int experts = config.experts();
    double expertFlops = DitFlops.expert(ModelConfigs.expert(config));
    double flops;
    if (config.inference() != null && config.inference().servesStudent()) {
      flops = DitFlops.expert(ModelConfigs.student(config));
    } else if (expert != null || experts == 1) {
      flops = expertFlops;
    } else {
      flops =
          DitFlops.router(ModelConfigs.router(config), experts)
              + routing.expertsPerStep(experts) * expertFlops;
    }
    int evaluations = sampler == Sampler.HEUN ? 2 * steps - 1 : steps;
    return new InferenceCost(flops / 1e9, evaluations, evaluations * flops / 1e9);
  }
}
