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
 * DiT's output head: adaLN-modulated LayerNorm, then a linear map of each token to its patch's
 * pixels ([B, N, p²·C]). Both linear layers start at zero, so the untrained model predicts zero.
 */
final class FinalLayer extends AbstractBlock {
  private final int outputsPerToken;
  private final Linear modulation;
  private final Linear output;

  FinalLayer(int hiddenSize, int outputsPerToken) {
    this.outputsPerToken = outputsPerToken;
    this.modulation =
        addChildBlock("modulation", Linear.builder().setUnits(2L * hiddenSize).build());
    this.output = addChildBlock("output", Linear.builder().setUnits(outputsPerToken).build());
  }

  Linear modulation() {
    return modulation;
  }

  Linear output() {
    return output;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDList m =
        Tensors.batchInvariantLinear(modulation, store, Tensors.silu(inputs.get(1)), training)
            .expandDims(1)
            .split(2, 2);
    NDArray normed = Tensors.modulate(Tensors.layerNormWithoutAffine(x), m.get(0), m.get(1));
    return output.forward(store, new NDList(normed), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), x.get(1), outputsPerToken)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    modulation.initialize(manager, dataType, inputShapes[1]);
    output.initialize(manager, dataType, inputShapes[0]);
  }
}
