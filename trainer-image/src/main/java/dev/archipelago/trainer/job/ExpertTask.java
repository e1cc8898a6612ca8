package dev.archipelago.trainer.job;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.spec.TrainingSpec;
import dev.archipelago.trainer.checkpoint.CheckpointLocation;
import dev.archipelago.trainer.checkpoint.ConfigHashMismatchException;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.train.FlowMatchingTrainer;
import dev.archipelago.trainer.train.TrainingPlacement;
import java.io.IOException;

/**
 * Trains expert k on its cluster only: the cluster's own shards, which the partition wrote, so the
 * expert reads its share of the data and nothing else. Seed: {@code training.seed + k}.
 */
public final class ExpertTask {
  private ExpertTask() {}

  public static int run(JobContext context, int expert)
      throws IOException, ConfigHashMismatchException {
    RunConfig config = context.config();
    TrainingSpec training = config.training();
    StorageLayout layout = config.layout();
    ObjectStore store = context.runStore();
    if (expert >= config.experts()) {
      throw new BadConfigException(
          "expert " + expert + " does not exist: the run has " + config.experts());
    }
    ClusterSizes sizes = PartitionReader.requireComplete(store, layout);
    if (sizes.sizes().get(expert) == 0) {
      throw new BadConfigException("cluster " + expert + " is empty: nothing to train on");
    }
    ShardSource shards = PartitionReader.clusterShards(context, expert);
    DitConfig dit = ModelConfigs.expert(config);
    long seed = training.getSeed() + expert;
    // Initial weights depend on the engine's generator; later randomness on (seed, step) only.
    Engine.getInstance().setRandomSeed((int) seed);

    TrainingPlacement placement = TrainerParts.placement(config);
    try (NDManager manager = NDManager.newBaseManager(placement.devices().get(0))) {
      DiffusionTransformer model = new DiffusionTransformer(dit);
      model.initializeParameters(manager, DataType.FLOAT32);
      try (FlowMatchingTrainer trainer =
          new FlowMatchingTrainer(
              model,
              manager,
              placement,
              TrainerParts.optimizer(training),
              training.getEma(),
              TrainerParts.timeSampler(),
              seed)) {
        trainer
            .core()
            .setLearningRateSchedule(
                LearningRateSchedule.warmup(training.getLearningRate(), training.getWarmupSteps()));
        ProgressReporter progress =
            new ProgressReporter(
                store,
                layout.expertProgress(expert),
                context.task().attempt(),
                training.getSteps(),
                training.getBatchSize(),
                context.clock(),
                context.progressInterval());
        TrainingLoop loop =
            new TrainingLoop(
                new TrainingLoop.Settings(
                    training.getSteps(),
                    training.getBatchSize(),
                    training.getCheckpointEvery(),
                    context.task().attempt()),
                new TrainingLoop.Trainer(trainer::trainStep, trainer.core()),
                cursor ->
                    new ShuffledSampleStream(
                        shards,
                        SampleDecoder.forDataset(config.dataset()),
                        TrainerParts.loader(config),
                        seed,
                        true,
                        cursor,
                        raw -> true),
                TrainerParts.checkpoints(context, CheckpointLocation.forExpert(layout, expert)),
                progress,
                context.stop(),
                step -> {});
        try {
          return loop.run();
        } catch (IOException | RuntimeException e) {
          progress.failed(trainer.core().step(), 0, e.toString());
          throw e;
        }
      }
    }
  }
}
