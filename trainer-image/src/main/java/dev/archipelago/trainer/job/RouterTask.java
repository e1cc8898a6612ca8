package dev.archipelago.trainer.job;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.archipelago.api.contract.NoiseLevelAccuracy;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.TrainingSpec;
import dev.archipelago.trainer.checkpoint.CheckpointLocation;
import dev.archipelago.trainer.checkpoint.ConfigHashMismatchException;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.model.DiffusionRouter;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.storage.ClusterShardSource;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.train.EmaWeightsSwap;
import dev.archipelago.trainer.train.RouterTrainer;
import dev.archipelago.trainer.train.TrainingPlacement;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the router on every cluster's shards but the held-out samples, each labelled with the
 * cluster it was written to. Its stream draws shards of all clusters in one shuffled order, several
 * at a time, so batches mix clusters in proportion to their sizes (the prior the router's posterior
 * needs). Reports held-out accuracy per noise level at every checkpoint. Hyper-parameters other
 * than preset, steps and batch size come from {@code training}; the seed is {@code training.seed}.
 */
public final class RouterTask {
  private static final Logger LOG = LoggerFactory.getLogger(RouterTask.class);

  /** Held-out samples kept in memory for evaluation. */
  public static final int HELD_OUT_SAMPLES = 512;

  private RouterTask() {}

  public static int run(JobContext context) throws IOException, ConfigHashMismatchException {
    RunConfig config = context.config();
    TrainingSpec training = config.training();
    StorageLayout layout = config.layout();
    ObjectStore store = context.runStore();
    if (config.experts() < 2) {
      throw new BadConfigException("a router needs at least 2 experts; the run has 1");
    }
    PartitionReader.requireComplete(store, layout);
    // Every cluster's shards: a sample's label is the cluster it was written to.
    ShardSource shards = new ClusterShardSource(PartitionReader.allClusterShards(context));
    SampleDecoder decoder = SampleDecoder.forDataset(config.dataset());
    DitConfig dit = ModelConfigs.router(config);
    long seed = training.getSeed();
    RouterHoldout holdout = new RouterHoldout(seed);
    List<Sample> heldOut = holdout.load(shards, decoder, HELD_OUT_SAMPLES);
    RouterEvaluation evaluation =
        new RouterEvaluation(
            heldOut,
            heldOut.stream().mapToInt(s -> ClusterShardSource.clusterOf(s.shard())).toArray(),
            seed,
            RouterEvaluation.samplerGrid(samplingSteps(config)));
    LOG.info("router: {} held-out samples for evaluation", evaluation.size());
    Engine.getInstance().setRandomSeed((int) seed);

    TrainingPlacement placement = TrainerParts.placement(config);
    try (NDManager manager = NDManager.newBaseManager(placement.devices().get(0))) {
      DiffusionRouter router = new DiffusionRouter(dit, config.experts());
      router.initializeParameters(manager, DataType.FLOAT32);
      try (RouterTrainer trainer =
          new RouterTrainer(
              router,
              manager,
              placement,
              RouterSettings.optimizer(config),
              RouterSettings.ema(config),
              RouterSettings.timeSampler(config.router()),
              seed)) {
        trainer
            .core()
            .setLearningRateSchedule(
                LearningRateSchedule.warmup(
                    RouterSettings.learningRate(config), RouterSettings.warmupSteps(config)));
        long steps = config.router().getSteps();
        int batchSize = config.router().getBatchSize();
        ProgressReporter progress =
            new ProgressReporter(
                store,
                layout.routerProgress(),
                context.task().attempt(),
                steps,
                batchSize,
                context.clock(),
                context.progressInterval());
        TrainingLoop loop =
            new TrainingLoop(
                new TrainingLoop.Settings(
                    steps, batchSize, training.getCheckpointEvery(), context.task().attempt()),
                new TrainingLoop.Trainer(
                    batch ->
                        trainer.trainStep(
                            batch,
                            batch.stream()
                                .mapToInt(s -> ClusterShardSource.clusterOf(s.shard()))
                                .toArray()),
                    trainer.core()),
                cursor ->
                    new ShuffledSampleStream(
                        shards,
                        decoder,
                        TrainerParts.loader(config),
                        seed,
                        true,
                        cursor,
                        raw -> !holdout.isHeldOut(raw.shard(), raw.key())),
                TrainerParts.checkpoints(context, CheckpointLocation.forRouter(layout)),
                progress,
                context.stop(),
                step -> {
                  // Reported for the EMA weights: those are what serving routes with.
                  List<NoiseLevelAccuracy> live = evaluation.evaluate(router, manager);
                  List<NoiseLevelAccuracy> ema =
                      EmaWeightsSwap.with(
                          trainer.core().parameters(),
                          trainer.core().ema(),
                          () -> evaluation.evaluate(router, manager));
                  LOG.info(
                      "router held-out accuracy at step {}: EMA weights {}, live weights {}",
                      step,
                      ema,
                      live);
                  progress.routerAccuracy(ema);
                });
        try {
          return loop.run();
        } catch (IOException | RuntimeException e) {
          progress.failed(trainer.core().step(), 0, e.toString());
          throw e;
        }
      }
    }
  }

  /** The served sampler's steps: the router is measured where it will be asked. */
  private static int samplingSteps(RunConfig config) {
    Integer steps = config.inference() == null ? null : config.inference().getSamplingSteps();
    return steps == null ? new InferenceSpec().getSamplingSteps() : steps;
  }
}
