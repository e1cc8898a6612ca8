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
 * A DiT block with adaLN-Zero conditioning. Inputs: tokens [B, N, D] and conditioning c [B, D].
 *
 * <pre>
 *   shift₁, scale₁, gate₁, shift₂, scale₂, gate₂ = Linear(SiLU(c))
 *   x = x + gate₁ · Attention(LN(x) · (1 + scale₁) + shift₁)
 *   x = x + gate₂ · MLP(LN(x) · (1 + scale₂) + shift₂)
 * </pre>
 *
 * The modulation layer starts at zero ({@link DitInitialization}), so every block starts as the
 * identity: the "Zero" in adaLN-Zero, which the DiT paper found trains best.
 */
final class DitBlock extends AbstractBlock {
  private final SelfAttention attention;
  private final FeedForward mlp;
  private final Linear modulation;

  DitBlock(int hiddenSize, int heads, int mlpHiddenSize) {
    this.attention = addChildBlock("attention", new SelfAttention(hiddenSize, heads));
    this.mlp = addChildBlock("mlp", new FeedForward(hiddenSize, mlpHiddenSize));
    this.modulation =
        addChildBlock("modulation", Linear.builder().setUnits(6L * hiddenSize).build());
  }

  Linear modulation() {
    return modulation;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray c = inputs.get(1);
    NDList m =
        Tensors.batchInvariantLinear(modulation, store, Tensors.silu(c), training)
            .expandDims(1)
            .split(6, 2);
    NDArray attended =
        attention
            .forward(
                store,
                new NDList(Tensors.modulate(Tensors.layerNormWithoutAffine(x), m.get(0), m.get(1))),
                training)
            .singletonOrThrow();
    x = x.add(m.get(2).mul(attended));
    NDArray mixed =
        mlp.forward(
                store,
                new NDList(Tensors.modulate(Tensors.layerNormWithoutAffine(x), m.get(3), m.get(4))),
                training)
            .singletonOrThrow();
    return new NDList(x.add(m.get(5).mul(mixed)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    attention.initialize(manager, dataType, inputShapes[0]);
    mlp.initialize(manager, dataType, inputShapes[0]);
    modulation.initialize(manager, dataType, inputShapes[1]);
  }
}
