package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The token-wise MLP of a transformer block: Linear → GELU → Linear. */
final class FeedForward extends AbstractBlock {
  private final int mlpHiddenSize;
  private final Linear expand;
  private final Linear contract;

  FeedForward(int hiddenSize, int mlpHiddenSize) {
    this.mlpHiddenSize = mlpHiddenSize;
    this.expand = addChildBlock("expand", Linear.builder().setUnits(mlpHiddenSize).build());
    this.contract = addChildBlock("contract", Linear.builder().setUnits(hiddenSize).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray hidden = expand.forward(store, inputs, training).singletonOrThrow();
    // Exact (erf) GELU; DiT used the tanh approximation, a difference well below training noise.
    return contract.forward(store, new NDList(Activation.gelu(hidden)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    expand.initialize(manager, dataType, in);
    contract.initialize(manager, dataType, in.slice(0, in.dimension() - 1).add(mlpHiddenSize));
  }
}
