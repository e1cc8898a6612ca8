package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import java.util.List;

/**
 * Trains one expert by rectified-flow matching: per step, draw t and ε (from the seed and step
 * number), regress the model's output at x_t onto ε − x0; {@link DataParallelTrainer} does the
 * passes, the AdamW step and the EMA. Must be called on one thread.
 */
public final class FlowMatchingTrainer implements AutoCloseable {
  private final DitConfig config;
  private final NDManager manager;
  private final DataParallelTrainer core;
  private final TimeSampler timeSampler;
  private final long seed;

  /**
   * @param model an initialised fp32 expert whose parameters live in {@code manager}, on the
   *     placement's first device
   */
  public FlowMatchingTrainer(
      DiffusionTransformer model,
      NDManager manager,
      TrainingPlacement placement,
      AdamWConfig optimizerConfig,
      double emaDecay,
      TimeSampler timeSampler,
      long seed) {
    this.config = model.config();
    this.manager = manager;
    this.core =
        new DataParallelTrainer(
            model,
            manager,
            (replicaManager, dataType) -> {
              DiffusionTransformer replica = new DiffusionTransformer(config);
              replica.initializeParameters(replicaManager, dataType);
              return replica;
            },
            placement,
            optimizerConfig,
            emaDecay);
    this.timeSampler = timeSampler;
    this.seed = seed;
  }

  /** One optimisation step on {@code batch}; returns the loss before the update. */
  public float trainStep(List<Sample> batch) {
    try (NDManager scope = manager.newSubManager()) {
      NoisedBatch noised = NoisedBatch.draw(scope, batch, config, timeSampler, seed, core.step());
      return core.trainStep(
          noised.inputs(),
          new NDList(RectifiedFlow.velocity(noised.x0(), noised.noise())),
          (outputs, targets) ->
              RectifiedFlow.loss(outputs.singletonOrThrow(), targets.singletonOrThrow()));
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
