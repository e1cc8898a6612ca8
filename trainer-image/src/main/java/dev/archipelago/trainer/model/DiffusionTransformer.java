package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An expert: a DiT with adaLN-Zero that predicts the rectified-flow velocity. Inputs: x_t [B, C, H,
 * W] (float), t [B] (float in [0, 1]) and, when class-conditional, labels [B] (INT64, with {@code
 * numClasses} meaning "no class"). Output: the velocity [B, C, H, W].
 */
public final class DiffusionTransformer extends AbstractBlock {
  private static final byte VERSION = 1;

  private final DitConfig config;
  private final DitBackbone backbone;
  private final FinalLayer head;

  public DiffusionTransformer(DitConfig config) {
    super(VERSION);
    this.config = config;
    this.backbone = addChildBlock("backbone", new DitBackbone(config));
    int p = config.patchSize();
    this.head =
        addChildBlock("head", new FinalLayer(config.hiddenSize(), p * p * config.inChannels()));
    DitInitialization.applyToBackbone(this, backbone);
    DitInitialization.zero(head.modulation());
    DitInitialization.zero(head.output());
  }

  public DitConfig config() {
    return config;
  }

  /** Allocates and initialises all parameters for this config's image size. */
  public void initializeParameters(NDManager manager, DataType dataType) {
    initialize(manager, dataType, DitBackbone.exampleInputShapes(config));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList trunk = backbone.forward(store, inputs, training);
    NDArray perToken = head.forward(store, trunk, training).singletonOrThrow();
    return new NDList(unpatchify(perToken));
  }

  /**
   * [B, N, p·p·C] → [B, C, H, W]; token (i, j) holds pixel (i·p + u, j·p + v) at (u·p + v)·C + c.
   */
  private NDArray unpatchify(NDArray perToken) {
    long batch = perToken.getShape().get(0);
    int g = config.gridSize();
    int p = config.patchSize();
    int c = config.inChannels();
    return perToken
        .reshape(batch, g, g, p, p, c)
        .transpose(0, 5, 1, 3, 2, 4)
        .reshape(batch, c, (long) g * p, (long) g * p);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
  }
}
