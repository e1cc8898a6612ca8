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
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Trains one expert by rectified-flow matching: per step, draw t and ε (from the seed and step
 * number), regress the model's output at x_t onto ε − x0, take an AdamW step, update the EMA. Must
 * be called on one thread: PyTorch's autograd switch is per thread.
 */
public final class FlowMatchingTrainer implements AutoCloseable {
  private final DiffusionTransformer model;
  private final NDManager manager;
  private final PairList<String, Parameter> parameters;
  private final AdamW optimizer;
  private final ExponentialMovingAverage ema;
  private final TimeSampler timeSampler;
  private final long seed;
  private long step;
  private LongToDoubleFunction learningRate;
  private double lastGradientNorm = Double.NaN;

  /**
   * @param model an initialised expert whose parameters live in {@code manager}
   */
  public FlowMatchingTrainer(
      DiffusionTransformer model,
      NDManager manager,
      AdamWConfig optimizerConfig,
      double emaDecay,
      TimeSampler timeSampler,
      long seed) {
    this.model = model;
    this.manager = manager;
    this.parameters = model.getParameters();
    this.optimizer = new AdamW(optimizerConfig, manager);
    this.learningRate = n -> optimizerConfig.learningRate();
    this.ema = new ExponentialMovingAverage(emaDecay, parameters, manager);
    this.timeSampler = timeSampler;
    this.seed = seed;
  }

  /** One optimisation step on {@code batch}; returns the loss before the update. */
  public float trainStep(List<Sample> batch) {
    DitConfig config = model.config();
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
        NDArray predicted =
            model.forward(new ParameterStore(scope, false), inputs, true).singletonOrThrow();
        NDArray lossArray = RectifiedFlow.loss(predicted, RectifiedFlow.velocity(x0, eps));
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      }
      lastGradientNorm = optimizer.step(parameters, learningRate.applyAsDouble(step));
      ema.update(parameters);
    }
    step++;
    return loss;
  }

  /** Completed steps. */
  public long step() {
    return step;
  }

  /** The global gradient norm of the last step, before clipping (NaN before the first step). */
  public double lastGradientNorm() {
    return lastGradientNorm;
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
