package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Cuts [B, C, H, W] images into non-overlapping patches, projects each to a token ([B, N, D]) with
 * a strided convolution, and adds the fixed 2-D sine-cosine position of each patch.
 */
final class PatchEmbedding extends AbstractBlock {
  private final DitConfig config;
  private final Conv2d projection;
  private final float[] positions;

  PatchEmbedding(DitConfig config) {
    this.config = config;
    int p = config.patchSize();
    this.projection =
        addChildBlock(
            "projection",
            Conv2d.builder()
                .setKernelShape(new Shape(p, p))
                .optStride(new Shape(p, p))
                .setFilters(config.hiddenSize())
                .build());
    this.positions = SinCosPositions.table(config.gridSize(), config.hiddenSize());
  }

  /** The patch projection (a p × p convolution with stride p). */
  Conv2d projection() {
    return projection;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    // Images arrive in fp32; a fp16 training replica computes in its weights' type.
    NDArray images = inputs.singletonOrThrow().toType(Tensors.weightType(projection), false);
    long batch = images.getShape().get(0);
    // The convolution picks another kernel for a single image; padded at inference, like the
    // per-sample layers, so an image's tokens do not depend on its batch's size.
    NDArray patches =
        Tensors.batchInvariant(
            images,
            training,
            all -> projection.forward(store, new NDList(all), training).singletonOrThrow());
    NDArray tokens =
        patches.reshape(batch, config.hiddenSize(), config.tokens()).transpose(0, 2, 1);
    NDArray table =
        images
            .getManager()
            .create(positions, new Shape(1, config.tokens(), config.hiddenSize()))
            .toType(tokens.getDataType(), false)
            .toDevice(tokens.getDevice(), false);
    return new NDList(tokens.add(table));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.tokens(), config.hiddenSize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    projection.initialize(manager, dataType, inputShapes[0]);
  }
}
