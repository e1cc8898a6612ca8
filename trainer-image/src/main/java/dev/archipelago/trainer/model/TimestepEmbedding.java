package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Embeds the flow time t ∈ [0, 1] ([B]) as a [B, D] vector: sinusoidal features, then a two-layer
 * SiLU MLP. t is scaled by 1000 first so the DiT frequency range (designed for integer diffusion
 * steps 0..999) spans the same number of periods.
 */
final class TimestepEmbedding extends AbstractBlock {
  static final float TIME_SCALE = 1000f;
  private static final double MAX_PERIOD = 10000;

  private final int hiddenSize;
  private final Linear first;
  private final Linear second;
  private final float[] frequencies;

  TimestepEmbedding(int hiddenSize) {
    this.hiddenSize = hiddenSize;
    this.first = addChildBlock("first", Linear.builder().setUnits(hiddenSize).build());
    this.second = addChildBlock("second", Linear.builder().setUnits(hiddenSize).build());
    int half = DitConfig.TIMESTEP_FREQUENCIES / 2;
    this.frequencies = new float[half];
    for (int i = 0; i < half; i++) {
      // TIME_SCALE folded into the table: no Number operands in forward (see Tensors).
      frequencies[i] = (float) (TIME_SCALE * Math.exp(-Math.log(MAX_PERIOD) * i / half));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray t = inputs.singletonOrThrow();
    NDArray freqs = t.getManager().create(frequencies).toDevice(t.getDevice(), false);
    NDArray angles = t.expandDims(1).mul(freqs.expandDims(0));
    // Angles in fp32 whatever the weights' type: t·1000 needs its precision.
    NDArray features =
        angles.cos().concat(angles.sin(), 1).toType(Tensors.weightType(first), false);
    NDArray hidden = Tensors.batchInvariantLinear(first, store, features, training);
    return new NDList(Tensors.batchInvariantLinear(second, store, Tensors.silu(hidden), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), hiddenSize)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    first.initialize(manager, dataType, new Shape(batch, DitConfig.TIMESTEP_FREQUENCIES));
    second.initialize(manager, dataType, new Shape(batch, hiddenSize));
  }
}
