package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The trunk shared by expert and router: patch tokens plus conditioning c = time embedding (+ class
 * embedding), through {@code depth} adaLN-Zero blocks. Inputs: images [B, C, H, W], t [B] and, for
 * class-conditional configs, labels [B] (INT64; {@code numClasses} is the null class). Outputs:
 * tokens [B, N, D] and c [B, D].
 */
final class DitBackbone extends AbstractBlock {
  private final DitConfig config;
  private final PatchEmbedding patches;
  private final TimestepEmbedding time;
  private final ClassEmbedding classes;
  private final List<DitBlock> blocks = new ArrayList<>();

  DitBackbone(DitConfig config) {
    this.config = config;
    this.patches = addChildBlock("patches", new PatchEmbedding(config));
    this.time = addChildBlock("time", new TimestepEmbedding(config.hiddenSize()));
    this.classes =
        config.classConditional()
            ? addChildBlock("classes", new ClassEmbedding(config.numClasses(), config.hiddenSize()))
            : null;
    for (int i = 0; i < config.depth(); i++) {
      blocks.add(
          addChildBlock(
              "block" + i,
              new DitBlock(config.hiddenSize(), config.heads(), config.mlpHiddenSize())));
    }
  }

  PatchEmbedding patches() {
    return patches;
  }

  TimestepEmbedding time() {
    return time;
  }

  ClassEmbedding classes() {
    return classes;
  }

  List<DitBlock> blocks() {
    return blocks;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    int expected = config.classConditional() ? 3 : 2;
    if (inputs.size() != expected) {
      throw new IllegalArgumentException(
          "expected "
              + expected
              + " inputs (images, t"
              + (expected == 3 ? ", labels)" : ")")
              + " but got "
              + inputs.size());
    }
    NDArray x = patches.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
    NDArray c = time.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
    if (classes != null) {
      c = c.add(classes.forward(store, new NDList(inputs.get(2)), training).singletonOrThrow());
    }
    for (DitBlock block : blocks) {
      x = block.forward(store, new NDList(x, c), training).singletonOrThrow();
    }
    return new NDList(x, c);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    return new Shape[] {
      new Shape(batch, config.tokens(), config.hiddenSize()), new Shape(batch, config.hiddenSize())
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    patches.initialize(manager, dataType, inputShapes[0]);
    time.initialize(manager, dataType, new Shape(batch));
    if (classes != null) {
      classes.initialize(manager, dataType, new Shape(batch));
    }
    Shape tokens = new Shape(batch, config.tokens(), config.hiddenSize());
    Shape conditioning = new Shape(batch, config.hiddenSize());
    for (DitBlock block : blocks) {
      block.initialize(manager, dataType, tokens, conditioning);
    }
  }

  /** Shapes of a batch of one, for initialising a model built on this backbone. */
  static Shape[] exampleInputShapes(DitConfig config) {
    Shape images = new Shape(1, config.inChannels(), config.imageSize(), config.imageSize());
    return config.classConditional()
        ? new Shape[] {images, new Shape(1), new Shape(1)}
        : new Shape[] {images, new Shape(1)};
  }
}
