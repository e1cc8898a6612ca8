package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.DistillationSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.trainer.serve.Routing;
import dev.archipelago.trainer.train.AdamWConfig;

/**
 * The student's training settings: its own where spec.distillation sets them, the experts' else.
 */
final class DistillationSettings {
  private DistillationSettings() {}

  static double learningRate(RunConfig config) {
    Double own = config.distillation().getLearningRate();
    return own != null ? own : config.training().getLearningRate();
  }

  static long warmupSteps(RunConfig config) {
    Long own = config.distillation().getWarmupSteps();
    return own != null ? own : config.training().getWarmupSteps();
  }

  static double ema(RunConfig config) {
    Double own = config.distillation().getEma();
    return own != null ? own : config.training().getEma();
  }

  static int batchSize(RunConfig config) {
    Integer own = config.distillation().getBatchSize();
    return own != null ? own : config.training().getBatchSize();
  }

  static AdamWConfig optimizer(RunConfig config) {
    return TrainerParts.optimizer(config.training(), learningRate(config));
  }

  /** How the teacher combines its experts: spec.distillation.strategy (default top1). */
  static Routing teacherRouting(RunConfig config) {
    DistillationSpec spec = config.distillation();
    InferenceStrategy strategy =
        spec.getStrategy() == null ? InferenceStrategy.TOP1 : spec.getStrategy();
    return new Routing(strategy, spec.getTopK() == null ? 1 : spec.getTopK());
  }
}
