package dev.archipelago.trainer.job;

import ai.djl.engine.Engine;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.TrainingSpec;
import dev.archipelago.trainer.checkpoint.CheckpointLocation;
import dev.archipelago.trainer.checkpoint.CheckpointStore;
import dev.archipelago.trainer.data.LoaderOptions;
import dev.archipelago.trainer.train.AdamWConfig;
import dev.archipelago.trainer.train.ComputePrecision;
import dev.archipelago.trainer.train.TimeSampler;
import dev.archipelago.trainer.train.TrainingPlacement;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What expert and router tasks build the same way from the run's training spec. */
final class TrainerParts {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerParts.class);
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double MAX_GRAD_NORM = 1.0;

  private TrainerParts() {}

  static AdamWConfig optimizer(TrainingSpec training) {
    return optimizer(training, training.getLearningRate());
  }

  /** The experts' AdamW at another peak learning rate (the router's, the student's). */
  static AdamWConfig optimizer(TrainingSpec training, double learningRate) {
    return new AdamWConfig(
        learningRate, BETA1, BETA2, EPSILON, training.getWeightDecay(), MAX_GRAD_NORM);
  }

  /**
   * Shards shuffled together as the run asks; images decoded on every processor the pod has (the
   * training thread waits for them, so they compete with nothing).
   */
  static LoaderOptions loader(RunConfig config) {
    Integer shuffleShards = config.dataset().getShuffleShards();
    return new LoaderOptions(
        shuffleShards == null ? 8 : shuffleShards, Runtime.getRuntime().availableProcessors());
  }

  /** Rectified flow's usual logit-normal(0, 1) time distribution (experts and router alike). */
  static TimeSampler timeSampler() {
    return TimeSampler.logitNormal(0, 1);
  }

  static CheckpointStore checkpoints(JobContext context, CheckpointLocation location) {
    TrainingSpec training = context.config().training();
    return new CheckpointStore(
        context.runStore(),
        location,
        context.scratch(),
        context.config().hash(),
        training.getKeepCheckpoints(),
        context.clock());
  }

  /**
   * Every GPU the pod sees (the device plugin exposes exactly the ones it was given), else the CPU;
   * in the run's {@code training.precision}.
   */
  static TrainingPlacement placement(RunConfig config) {
    TrainingPlacement placement =
        new TrainingPlacement(
            List.of(Engine.getInstance().getDevices()),
            ComputePrecision.of(config.training().getPrecision()));
    LOG.info(
        "training on {} in {} (fp32 master weights)",
        placement.devices(),
        placement.precision().name().toLowerCase(Locale.ROOT));
    return placement;
  }
}
