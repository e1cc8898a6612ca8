package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Test weights: a model's initialisation plus N(0, std²) on every parameter, so that models differ
 * from one another and adaLN-Zero's zeroed output layers no longer make every output zero.
 */
public final class RandomWeights {
  private RandomWeights() {}

  public static void perturb(Block model, float std, NDManager manager) {
    for (Pair<String, Parameter> p : model.getParameters()) {
      NDArray array = p.getValue().getArray();
      try (NDManager scope = manager.newSubManager()) {
        array.addi(scope.randomNormal(0, std, array.getShape(), array.getDataType()));
      }
    }
  }
}
