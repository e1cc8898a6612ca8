package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned vector per class plus one for the null class ({@code numClasses}), used when a label is
 * dropped in training or absent at sampling (classifier-free guidance). Input: labels [B] as
 * integers; output [B, D].
 */
final class ClassEmbedding extends AbstractBlock {
  private final int numClasses;
  private final int hiddenSize;
  private final Parameter table;

  ClassEmbedding(int numClasses, int hiddenSize) {
    this.numClasses = numClasses;
    this.hiddenSize = hiddenSize;
    this.table =
        addParameter(
            Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numClasses + 1, hiddenSize))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray labels = inputs.singletonOrThrow();
    NDArray weights = store.getValue(table, labels.getDevice(), training);
    // A one-hot product instead of a gather: differentiable on every engine, and cheap at
    // these table sizes.
    NDArray oneHot = labels.oneHot(numClasses + 1, weights.getDataType());
    return new NDList(oneHot.matMul(weights));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), hiddenSize)};
  }
}
