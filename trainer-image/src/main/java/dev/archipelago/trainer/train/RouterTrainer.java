package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DiffusionRouter;
import dev.archipelago.trainer.model.DitConfig;
import java.util.List;

/**
 * Trains the router: noise each sample exactly as the experts do (same time sampler, same x_t) and
 * minimise the cross-entropy of the logits against the sample's cluster. Seeded per step like
 * {@link FlowMatchingTrainer}; one thread only.
 */
public final class RouterTrainer implements AutoCloseable {
  // A stream apart from the experts', so router and expert draws never coincide by construction.
  private static final long ROUTER_SEED_SALT = 0x5A17_0000_0000_0001L;

  private final DitConfig config;
  private final int experts;
  private final NDManager manager;
  private final DataParallelTrainer core;
  private final TimeSampler timeSampler;
  private final long seed;

  /**
   * @param router an initialised fp32 router whose parameters live in {@code manager}, on the
   *     placement's first device
   */
  public RouterTrainer(
      DiffusionRouter router,
      NDManager manager,
      TrainingPlacement placement,
      AdamWConfig optimizerConfig,
      double emaDecay,
      TimeSampler timeSampler,
      long seed) {
    this.config = router.config();
    this.experts = router.experts();
    this.manager = manager;
    this.core =
        new DataParallelTrainer(
            router,
            manager,
            (replicaManager, dataType) -> {
              DiffusionRouter replica = new DiffusionRouter(config, experts);
              replica.initializeParameters(replicaManager, dataType);
              return replica;
            },
            placement,
            optimizerConfig,
            emaDecay);
    this.timeSampler = timeSampler;
    this.seed = seed ^ ROUTER_SEED_SALT;
  }

  /**
   * One step on {@code batch} whose samples belong to {@code clusters} (same order, 0..K−1).
   * Returns the cross-entropy before the update.
   */
  public float trainStep(List<Sample> batch, int[] clusters) {
    if (clusters.length != batch.size()) {
      throw new IllegalArgumentException("one cluster per sample expected");
    }
    long[] targets = new long[clusters.length];
    for (int i = 0; i < clusters.length; i++) {
      if (clusters[i] < 0 || clusters[i] >= experts) {
        throw new IllegalArgumentException("cluster " + clusters[i] + " outside 0.." + experts);
      }
      targets[i] = clusters[i];
    }
    try (NDManager scope = manager.newSubManager()) {
      NoisedBatch noised = NoisedBatch.draw(scope, batch, config, timeSampler, seed, core.step());
      return core.trainStep(
          noised.inputs(),
          new NDList(scope.create(targets)),
          (outputs, shardTargets) ->
              RouterLoss.crossEntropy(outputs.singletonOrThrow(), shardTargets.singletonOrThrow()));
    }
  }

  /** The shared step machinery: step count, parameters, optimizer, EMA, loss scale. */
  public DataParallelTrainer core() {
    return core;
  }

  @Override
  public void close() {
    core.close();
  }
}
