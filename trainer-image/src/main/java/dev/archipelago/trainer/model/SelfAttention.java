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
 * Multi-head self-attention over [B, N, D] tokens: one fused q/k/v projection, softmax(q·kᵀ/√d)·v
 * per head, an output projection. Written with matMul because DJL's attention block relies on
 * batchDot, which the PyTorch engine lacks.
 */
final class SelfAttention extends AbstractBlock {
  private final int hiddenSize;
  private final int heads;
  private final Linear qkv;
  private final Linear projection;

  SelfAttention(int hiddenSize, int heads) {
    this.hiddenSize = hiddenSize;
    this.heads = heads;
    this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * hiddenSize).build());
    this.projection = addChildBlock("projection", Linear.builder().setUnits(hiddenSize).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long batch = x.getShape().get(0);
    long tokens = x.getShape().get(1);
    long headWidth = hiddenSize / heads;
    // [B, N, 3D] → [3, B, H, N, d]
    NDArray packed =
        qkv.forward(store, new NDList(x), training)
            .singletonOrThrow()
            .reshape(batch, tokens, 3, heads, headWidth)
            .transpose(2, 0, 3, 1, 4);
    NDList split = packed.split(3, 0);
    NDArray q = split.get(0).squeeze(0);
    NDArray k = split.get(1).squeeze(0);
    NDArray v = split.get(2).squeeze(0);
    NDArray scale = Tensors.constant(q, (float) (1.0 / Math.sqrt(headWidth)));
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale);
    NDArray attended =
        scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, hiddenSize);
    return projection.forward(store, new NDList(attended), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    qkv.initialize(manager, dataType, inputShapes[0]);
    projection.initialize(manager, dataType, inputShapes[0]);
  }
}
