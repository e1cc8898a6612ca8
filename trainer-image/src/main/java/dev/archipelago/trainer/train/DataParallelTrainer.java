package dev.archipelago.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * What every trainer (expert or router) does with a batch once it has built the inputs: split it
 * over the replicas, run forward and backward on each shard, sum the gradients in fp32, take one
 * AdamW step on the fp32 master weights and update the EMA. The loss is the batch mean whatever the
 * split, so one device or eight follow the same trajectory up to floating-point summation order.
 * One thread only: PyTorch's autograd switch is per thread.
 */
public final class DataParallelTrainer implements AutoCloseable {
  /**
   * A shard's loss: the mean over its samples, from the model's outputs (fp32) and targets. Any
   * constant it multiplies by must be made beforehand: arrays made during the pass are released
   * before backward.
   */
  @FunctionalInterface
  public interface ShardLoss {
    NDArray loss(NDList outputs, NDList targets);
  }

  private final PairList<String, Parameter> parameters;
  private final Replicas replicas;
  private final AdamW optimizer;
  private final ExponentialMovingAverage ema;
  private final LossScaler lossScaler;
  private LongToDoubleFunction learningRate;
  private long step;
  private double lastGradientNorm = Double.NaN;

  /**
   * @param model the initialised fp32 master model, its parameters in {@code manager}
   * @param replicaFactory builds copies of the model for the other devices or precisions
   */
  public DataParallelTrainer(
      Block model,
      NDManager manager,
      ModelReplica.Factory replicaFactory,
      TrainingPlacement placement,
      AdamWConfig optimizerConfig,
      double emaDecay) {
    this.parameters = model.getParameters();
    this.replicas =
        Replicas.create(model, manager, replicaFactory, placement.devices(), placement.precision());
    this.optimizer = new AdamW(optimizerConfig, manager);
    this.ema = new ExponentialMovingAverage(emaDecay, parameters, manager);
    this.lossScaler = LossScaler.forPrecision(placement.precision());
    this.learningRate = n -> optimizerConfig.learningRate();
  }

  /**
   * One optimisation step.
   *
   * @param inputs the model's inputs for the whole batch, batch-major (moved to each shard's
   *     device)
   * @param targets what {@code loss} compares the outputs with, batch-major
   * @return the batch's mean loss before the update
   */
  public float trainStep(NDList inputs, NDList targets, ShardLoss loss) {
    int batch = Math.toIntExact(inputs.get(0).getShape().get(0));
    float batchLoss;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      replicas.syncFromMaster();
      batchLoss = forwardAndBackward(batch, inputs, targets, loss);
      Map<String, NDArray> gradients = replicas.reducedGradients((float) (1 / lossScaler.scale()));
      double norm = GradientClipping.globalNorm(gradients.values());
      lastGradientNorm = norm;
      if (lossScaler.accept(Double.isFinite(norm))) {
        long updatesBefore = optimizer.steps();
        optimizer.step(parameters, gradients, norm, learningRate.applyAsDouble(step));
        ema.update(parameters, updatesBefore);
      }
      replicas.zeroGradients();
    }
    step++;
    return batchLoss;
  }

  /**
   * Runs forward and backward on every shard, each on its replica's device (DJL's device and type
   * conversions are not differentiable, so no graph spans two devices); returns the batch loss.
   */
  private float forwardAndBackward(int batch, NDList inputs, NDList targets, ShardLoss loss) {
    int[] sizes = BatchSplit.sizes(batch, replicas.size());
    List<NDArray> shardLosses = new ArrayList<>();
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      long from = 0;
      for (int i = 0; i < sizes.length; i++) {
        if (sizes[i] == 0) {
          continue;
        }
        ModelReplica replica = replicas.list().get(i);
        NDManager device = replica.manager();
        // This shard's share of the batch mean, times the loss scale: a tensor factor, not a
        // Number, and made outside the pass's scope, because autograd reads it in backward.
        NDArray share = device.create((float) (lossScaler.scale() * sizes[i] / batch));
        NDArray shardLoss;
        NDArray scaled;
        try (NDScope pass = new NDScope()) {
          pass.suppressNotUsedWarning();
          NDList shardInputs =
              BatchSplit.slice(inputs, from, from + sizes[i]).toDevice(replica.device(), false);
          NDList shardTargets =
              BatchSplit.slice(targets, from, from + sizes[i]).toDevice(replica.device(), false);
          NDList outputs =
              replica.block().forward(new ParameterStore(device, false), shardInputs, true);
          shardLoss = loss.loss(ReducedPrecision.toFloat32(outputs), shardTargets);
          scaled = shardLoss.mul(share);
          NDScope.unregister(shardLoss, scaled);
        }
        // The pass's intermediates are released before backward: autograd holds what it saved
        // and frees each as backward passes it, as PyTorch does, instead of the whole
        // forward staying allocated until the step ends (see model.Tensors for what must not
        // be released early).
        from += sizes[i];
        collector.backward(scaled);
        scaled.close();
        shardLosses.add(shardLoss);
      }
    }
    // Read only now: reading a loss waits for its device, which would serialise the shards.
    double total = 0;
    for (int i = 0, shard = 0; i < sizes.length; i++) {
      if (sizes[i] > 0) {
        try (NDArray shardLoss = shardLosses.get(shard++)) {
          total += (double) shardLoss.getFloat() * sizes[i] / batch;
        }
      }
    }
    return (float) total;
  }

  /** Completed steps (skipped fp16 steps included: their batches were consumed). */
  public long step() {
    return step;
  }

  /** Continues a run restored from a checkpoint: the next step is number {@code completedSteps}. */
  public void resumeAt(long completedSteps) {
    if (completedSteps < 0) {
      throw new IllegalArgumentException("negative step " + completedSteps);
    }
    step = completedSteps;
  }

  /** The learning rate of each step (by its index from 0), for warm-up or decay schedules. */
  public void setLearningRateSchedule(LongToDoubleFunction schedule) {
    this.learningRate = schedule;
  }

  /** The global gradient norm of the last step, before clipping (NaN before the first step). */
  public double lastGradientNorm() {
    return lastGradientNorm;
  }

  /** The fp32 master parameters, as the optimizer, the EMA and checkpoints name them. */
  public PairList<String, Parameter> parameters() {
    return parameters;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public ExponentialMovingAverage ema() {
    return ema;
  }

  public LossScaler lossScaler() {
    return lossScaler;
  }

  public Replicas replicas() {
    return replicas;
  }

  @Override
  public void close() {
    ema.close();
    optimizer.close();
    replicas.close();
  }
}
