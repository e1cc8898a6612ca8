package dev.archipelago.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The domain network of evaluation, the stand-in for Inception (none can be downloaded here): a
 * small CNN over [B, 3, S, S] images in [−1, 1] whose globally pooled last convolution is the
 * feature space of Fréchet and kernel distances, with one linear head per {@link ShapeFactors
 * factor}. Pooling makes the features blind to where the shape lies, on purpose: position and
 * rotation are continuous and not among the factors it is trained to tell apart.
 */
public final class ShapesClassifier extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final int[] CHANNELS = {32, 32, 64, 64, 128};
  private static final boolean[] HALVES = {false, true, false, true, false};

  private final int imageSize;
  private final SequentialBlock trunk;
  private final Linear heads;

  public ShapesClassifier(int imageSize) {
    super(VERSION);
    if (imageSize < 8) {
      throw new IllegalArgumentException("the classifier needs images of at least 8 px");
    }
    this.imageSize = imageSize;
    SequentialBlock layers = new SequentialBlock();
    for (int i = 0; i < CHANNELS.length; i++) {
      int stride = HALVES[i] ? 2 : 1;
      layers.add(
          Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optPadding(new Shape(1, 1))
              .optStride(new Shape(stride, stride))
              .setFilters(CHANNELS[i])
              .build());
      layers.add(Activation.reluBlock());
    }
    layers.add(Pool.globalAvgPool2dBlock());
    this.trunk = addChildBlock("trunk", layers);
    this.heads = addChildBlock("heads", Linear.builder().setUnits(ShapeFactors.logits()).build());
  }

  public int imageSize() {
    return imageSize;
  }

  /** Width of the feature vector. */
  public static int featureSize() {
    return CHANNELS[CHANNELS.length - 1];
  }

  public void initializeParameters(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
  }

  /** Returns the features [B, F] and every head's logits side by side [B, Σ cardinalities]. */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray features = trunk.forward(store, inputs, training).singletonOrThrow();
    NDArray logits = heads.forward(store, new NDList(features), training).singletonOrThrow();
    return new NDList(features, logits);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    return new Shape[] {new Shape(batch, featureSize()), new Shape(batch, ShapeFactors.logits())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    trunk.initialize(manager, dataType, inputShapes);
    heads.initialize(manager, dataType, trunk.getOutputShapes(inputShapes));
  }
}
