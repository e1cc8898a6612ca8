package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A query as the DiT's inputs: x_t [B, C, H, W], t [B] and, if conditional, labels [B]. */
final class ModelInputs {
  private ModelInputs() {}

  static NDList of(NDManager manager, ImageShape shape, float[] x, float[] t, long[] labels) {
    int count = t.length;
    NDList inputs =
        new NDList(
            manager.create(x, new Shape(count, shape.channels(), shape.size(), shape.size())),
            manager.create(t));
    if (labels != null) {
      inputs.add(manager.create(labels));
    }
    return inputs;
  }
}
