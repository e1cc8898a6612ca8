package dev.archipelago.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DiffusionRouter;
import dev.archipelago.trainer.model.DitConfig;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Trains the router: noise each sample exactly as the experts do (same time sampler, same x_t) and
 * minimise the cross-entropy of the logits against the sample's cluster. Seeded per step like
 * {@link FlowMatchingTrainer}; one thread only.
 */
public final class RouterTrainer implements AutoCloseable {
  // A stream apart from the experts', so router and expert draws never coincide by construction.
  private static final long ROUTER_SEED_SALT = 0x5A17_0000_0000_0001L;

  private final DiffusionRouter router;
  private final NDManager manager;
  private final PairList<String, Parameter> parameters;
  private final AdamW optimizer;
  private final ExponentialMovingAverage ema;
  private final TimeSampler timeSampler;
  private final long seed;
  private long step;
  private LongToDoubleFunction learningRate;

  public RouterTrainer(
      DiffusionRouter router,
      NDManager manager,
      AdamWConfig optimizerConfig,
      double emaDecay,
      TimeSampler timeSampler,
      long seed) {
    this.router = router;
    this.manager = manager;
    this.parameters = router.getParameters();
    this.optimizer = new AdamW(optimizerConfig, manager);
    this.learningRate = n -> optimizerConfig.learningRate();
    this.ema = new ExponentialMovingAverage(emaDecay, parameters, manager);
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
    DitConfig config = router.config();
    int sampleSize = config.inChannels() * config.imageSize() * config.imageSize();
    int[] labels = config.classConditional() ? Batches.labels(batch) : null;
    StepNoise noise =
        StepNoise.draw(
            seed,
            step,
            batch.size(),
            sampleSize,
            timeSampler,
            labels,
            config.numClasses(),
            config.classDropout());
    long[] targets = new long[clusters.length];
    for (int i = 0; i < clusters.length; i++) {
      if (clusters[i] < 0 || clusters[i] >= router.experts()) {
        throw new IllegalArgumentException(
            "cluster " + clusters[i] + " outside 0.." + router.experts());
      }
      targets[i] = clusters[i];
    }
    float loss;
    try (NDManager scope = manager.newSubManager()) {
      NDArray x0 = Batches.images(scope, batch);
      NDArray eps = scope.create(noise.noise(), x0.getShape());
      NDArray t = scope.create(noise.times(), new Shape(batch.size()));
      NDList inputs = new NDList(RectifiedFlow.interpolate(x0, eps, t), t);
      if (labels != null) {
        inputs.add(scope.create(noise.labels()));
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits =
            router.forward(new ParameterStore(scope, false), inputs, true).singletonOrThrow();
        NDArray lossArray = RouterLoss.crossEntropy(logits, scope.create(targets));
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      }
      optimizer.step(parameters, learningRate.applyAsDouble(step));
      ema.update(parameters);
    }
    step++;
    return loss;
  }

  public long step() {
    return step;
  }

  /** The learning rate of each step (by its index from 0), for warm-up or decay schedules. */
  public void setLearningRateSchedule(LongToDoubleFunction schedule) {
    this.learningRate = schedule;
  }

  /** Continues a run restored from a checkpoint: the next step is number {@code completedSteps}. */
  public void resumeAt(long completedSteps) {
    if (completedSteps < 0) {
      throw new IllegalArgumentException("negative step " + completedSteps);
    }
    step = completedSteps;
  }

  /** The trained parameters, as the optimizer, the EMA and checkpoints name them. */
  public PairList<String, Parameter> parameters() {
    return parameters;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public ExponentialMovingAverage ema() {
    return ema;
  }

  @Override
  public void close() {
    ema.close();
    optimizer.close();
  }
}
