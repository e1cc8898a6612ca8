package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.DistillationSpec;
import dev.archipelago.api.spec.FeatureExtractor;
import dev.archipelago.api.spec.InferenceStrategy;

/**
 * Checks up front everything a task derives from its config, so that a config problem is reported
 * as BAD_CONFIG before any work, and an IllegalArgumentException later on is an ordinary failure.
 */
final class ConfigCheck {
  private ConfigCheck() {}

  static void validate(RunConfig config, Task task) {
    try {
      if (config.schemaVersion() != RunConfig.SCHEMA_VERSION) {
        throw new BadConfigException(
            "run config schemaVersion "
                + config.schemaVersion()
                + " is not "
                + RunConfig.SCHEMA_VERSION
                + ", the one this trainer knows");
      }
      DatasetLocation.validate(config.dataset().getUri());
      ModelConfigs.expert(config);
      ModelConfigs.router(config);
      ModelConfigs.student(config);
      var features = config.partitioning().getFeatures();
      if (features != null && features.getType() == FeatureExtractor.TORCHSCRIPT) {
        ModelFiles.validate(features.getModelUri(), "partitioning.features.modelUri");
      }
      DatasetSpec dataset = config.dataset();
      if (dataset.trainsOnLatents() && dataset.getLatents() == null) {
        throw new BadConfigException("dataset.format latents needs dataset.latents");
      }
      if (dataset.getEncode() != null) {
        if (!dataset.trainsOnLatents()) {
          throw new BadConfigException("dataset.encode needs dataset.format latents");
        }
        ModelFiles.validate(dataset.getEncode().getEncoderUri(), "dataset.encode.encoderUri");
      }
      if (task.role() == Role.ENCODE && dataset.getEncode() == null) {
        throw new BadConfigException("the encode task needs dataset.encode");
      }

      if (task.role() == Role.EXPERT && task.expert() >= config.experts()) {
        throw new BadConfigException(
            "expert " + task.expert() + " does not exist: the run has " + config.experts());
      }
      if (task.role() == Role.ROUTER && config.experts() < 2) {
        throw new BadConfigException("a router needs at least 2 experts; the run has 1");
      }
      if (task.role() == Role.DISTILL) {
        checkDistillation(config);
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadConfigException("invalid run config: " + e.getMessage(), e);
    }
  }

  /** What the API's rules say about spec.distillation, for configs that did not pass admission. */
  private static void checkDistillation(RunConfig config) {
    DistillationSpec spec = config.distillation();
    if (!spec.distils()) {
      throw new BadConfigException("the distill task needs distillation.enabled true");
    }
    if (config.experts() < 2) {
      throw new BadConfigException(
          "distillation needs an ensemble of at least 2 experts; the run has 1");
    }
    if (spec.getStrategy() == InferenceStrategy.TOPK
        && (spec.getTopK() == null || spec.getTopK() > config.experts())) {
      throw new BadConfigException(
          "distillation.topK must be set and at most " + config.experts() + " for strategy topk");
    }
  }
}
