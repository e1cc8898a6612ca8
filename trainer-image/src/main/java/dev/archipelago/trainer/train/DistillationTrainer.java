package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import java.util.List;

/**
 * Trains a student DiT to match a teacher's velocity: per step the batch is noised exactly as an
 * expert's is (t, ε and dropped labels from the seed and step), the teacher is asked at x_t, and
 * the student's output is regressed onto its answer instead of onto ε − x0. The teacher's answer is
 * a lower-variance target than ε − x0, which is why a student can match the ensemble in fewer
 * steps. Must be called on one thread.
 */
public final class DistillationTrainer implements AutoCloseable {
  private final DitConfig config;
  private final NDManager manager;
  private final DataParallelTrainer core;
  private final TimeSampler timeSampler;
  private final Teacher teacher;
  private final long seed;

  /**
   * @param student an initialised fp32 DiT whose parameters live in {@code manager}, on the
   *     placement's first device
   */
  public DistillationTrainer(
      DiffusionTransformer student,
      NDManager manager,
      TrainingPlacement placement,
      AdamWConfig optimizerConfig,
      double emaDecay,
      TimeSampler timeSampler,
      Teacher teacher,
      long seed) {
    this.config = student.config();
    this.manager = manager;
    this.core =
        new DataParallelTrainer(
            student,
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
    this.teacher = teacher;
    this.seed = seed;
  }

  /** One optimisation step on {@code batch}; returns the loss against the teacher. */
  public float trainStep(List<Sample> batch) {
    try (NDManager scope = manager.newSubManager()) {
      NoisedBatch noised = NoisedBatch.draw(scope, batch, config, timeSampler, seed, core.step());
      NDList inputs = noised.inputs();
      long[] labels = inputs.size() > 2 ? inputs.get(2).toLongArray() : null;
      float[] target =
          teacher.velocity(
              inputs.get(0).toFloatArray(), inputs.get(1).toFloatArray(), labels, core.step());
      NDArray velocity = scope.create(target, noised.x0().getShape());
      return core.trainStep(
          inputs,
          new NDList(velocity),
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
