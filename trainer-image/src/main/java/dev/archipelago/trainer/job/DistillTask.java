package dev.archipelago.trainer.job;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.checkpoint.CheckpointLocation;
import dev.archipelago.trainer.checkpoint.ConfigHashMismatchException;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.serve.EnsembleTeacher;
import dev.archipelago.trainer.storage.ClusterShardSource;
import dev.archipelago.trainer.train.DistillationTrainer;
import dev.archipelago.trainer.train.TrainingPlacement;
import java.io.IOException;

/**
 * Distils the trained ensemble into one student: the student sees every cluster's samples, noised
 * as the experts saw theirs, and regresses onto the ensemble's velocity there (the teacher combines
 * its experts as spec.distillation.strategy says). It checkpoints, resumes and reports progress as
 * every trainer does, under {@code distillation/}. Seed: {@code training.seed + experts}, apart
 * from every expert's.
 */
public final class DistillTask {
  private DistillTask() {}

  public static int run(JobContext context) throws IOException, ConfigHashMismatchException {
    RunConfig config = context.config();
    StorageLayout layout = config.layout();
    PartitionReader.requireComplete(context.runStore(), layout);
    ShardSource shards = new ClusterShardSource(PartitionReader.allClusterShards(context));
    SampleDecoder decoder = SampleDecoder.forDataset(config.dataset());
    long seed = config.training().getSeed() + config.experts();
    long steps = config.distillation().getSteps();
    int batchSize = DistillationSettings.batchSize(config);

    TrainingPlacement placement = TrainerParts.placement(config);
    try (NDManager manager = NDManager.newBaseManager(placement.devices().get(0))) {
      EnsembleTeacher teacher = TeacherLoading.load(context, manager, seed);
      // After the teacher is built, so that the student's initial weights depend on the seed only.
      Engine.getInstance().setRandomSeed((int) seed);
      DiffusionTransformer student = new DiffusionTransformer(ModelConfigs.student(config));
      student.initializeParameters(manager, DataType.FLOAT32);
      try (DistillationTrainer trainer =
          new DistillationTrainer(
              student,
              manager,
              placement,
              DistillationSettings.optimizer(config),
              DistillationSettings.ema(config),
              TrainerParts.timeSampler(),
              teacher,
              seed)) {
        trainer
            .core()
            .setLearningRateSchedule(
                LearningRateSchedule.warmup(
                    DistillationSettings.learningRate(config),
                    DistillationSettings.warmupSteps(config)));
        ProgressReporter progress =
            new ProgressReporter(
                context.runStore(),
                layout.distillationProgress(),
                context.task().attempt(),
                steps,
                batchSize,
                context.clock(),
                context.progressInterval());
        TrainingLoop loop =
            new TrainingLoop(
                new TrainingLoop.Settings(
                    steps,
                    batchSize,
                    config.training().getCheckpointEvery(),
                    context.task().attempt()),
                new TrainingLoop.Trainer(trainer::trainStep, trainer.core()),
                cursor ->
                    new ShuffledSampleStream(
                        shards,
                        decoder,
                        TrainerParts.loader(config),
                        seed,
                        true,
                        cursor,
                        raw -> true),
                TrainerParts.checkpoints(context, CheckpointLocation.forStudent(layout)),
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
