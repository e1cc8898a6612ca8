package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.RouterSpec;
import dev.archipelago.api.spec.RouterTimeSampling;
import dev.archipelago.trainer.train.AdamWConfig;
import dev.archipelago.trainer.train.TimeSampler;

/**
 * The router's training settings: its own where spec.router sets them, the experts' otherwise. Its
 * times are uniform by default, so that it is trained at every t the sampler asks about.
 */
final class RouterSettings {
  private RouterSettings() {}

  static double learningRate(RunConfig config) {
    Double own = config.router().getLearningRate();
    return own != null ? own : config.training().getLearningRate();
  }

  static long warmupSteps(RunConfig config) {
    Long own = config.router().getWarmupSteps();
    return own != null ? own : config.training().getWarmupSteps();
  }

  static double ema(RunConfig config) {
    Double own = config.router().getEma();
    return own != null ? own : config.training().getEma();
  }

  static AdamWConfig optimizer(RunConfig config) {
    return TrainerParts.optimizer(config.training(), learningRate(config));
  }

  static TimeSampler timeSampler(RouterSpec router) {
    return router.getTimeSampling() == RouterTimeSampling.LOGIT_NORMAL
        ? TrainerParts.timeSampler()
        : TimeSampler.uniform();
  }
}
