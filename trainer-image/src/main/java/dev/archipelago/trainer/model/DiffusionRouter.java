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
 * The router: predicts which expert's cluster a noised sample x_t came from. Same backbone and
 * inputs as {@link DiffusionTransformer}; its tokens are normalised with adaLN, mean-pooled and
 * mapped to {@code experts} logits [B, K].
 */
public final class DiffusionRouter extends AbstractBlock {
  private static final byte VERSION = 1;

  private final DitConfig config;
  private final int experts;
  private final DitBackbone backbone;
  private final Linear poolModulation;
  private final Linear classifier;

  public DiffusionRouter(DitConfig config, int experts) {
    super(VERSION);
    if (experts < 2) {
      throw new IllegalArgumentException("a router needs at least 2 experts, got " + experts);
    }
    this.config = config;
    this.experts = experts;
    this.backbone = addChildBlock("backbone", new DitBackbone(config));
    this.poolModulation =
        addChildBlock(
            "poolModulation", Linear.builder().setUnits(2L * config.hiddenSize()).build());
    this.classifier = addChildBlock("classifier", Linear.builder().setUnits(experts).build());
    DitInitialization.applyToBackbone(this, backbone);
    DitInitialization.zero(poolModulation);
  }

  public DitConfig config() {
    return config;
  }

  public int experts() {
    return experts;
  }

  /** Allocates and initialises all parameters for this config's image size. */
  public void initializeParameters(NDManager manager, DataType dataType) {
    initialize(manager, dataType, DitBackbone.exampleInputShapes(config));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList trunk = backbone.forward(store, inputs, training);
    NDList m =
        Tensors.batchInvariantLinear(poolModulation, store, Tensors.silu(trunk.get(1)), training)
            .expandDims(1)
            .split(2, 2);
    NDArray tokens =
        Tensors.modulate(Tensors.layerNormWithoutAffine(trunk.get(0)), m.get(0), m.get(1));
    return new NDList(
        Tensors.batchInvariantLinear(classifier, store, tokens.mean(new int[] {1}), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), experts)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    Shape[] trunk = backbone.getOutputShapes(inputShapes);
    poolModulation.initialize(manager, dataType, trunk[1]);
    classifier.initialize(manager, dataType, trunk[1]);
  }
}
