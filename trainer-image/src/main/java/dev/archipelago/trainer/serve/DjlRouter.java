package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.archipelago.trainer.model.DiffusionRouter;
import dev.archipelago.trainer.model.DitConfig;

/** The router's DiT in this process: softmax of its logits. Calls are serialised. */
public final class DjlRouter implements ExpertRouter, RowForward, AutoCloseable {
  private final DiffusionRouter model;
  private final NDManager manager;

  public DjlRouter(DitConfig config, int experts, NDManager parent) {
    this.manager = parent.newSubManager();
    this.model = new DiffusionRouter(config, experts);
    model.initializeParameters(manager, DataType.FLOAT32);
  }

  public DiffusionRouter model() {
    return model;
  }

  EmaWeights weights() {
    return new EmaWeights(model);
  }

  @Override
  public int experts() {
    return model.experts();
  }

  @Override
  public float[] probabilities(VelocityQuery query) {
    return forward(query.shape(), query.x(), query.t(), query.labels());
  }

  /** The probabilities of a batch, row-major [rows, experts]. */
  @Override
  public synchronized float[] forward(ImageShape shape, float[] x, float[] t, long[] labels) {
    try (NDManager scope = manager.newSubManager()) {
      float[] logits =
          model
              .forward(
                  new ParameterStore(scope, false),
                  ModelInputs.of(scope, shape, x, t, labels),
                  false)
              .singletonOrThrow()
              .toFloatArray();
      return softmax(logits, model.experts());
    }
  }

  /**
   * Softmax of each row, here rather than in PyTorch, whose kernel vectorises differently with the
   * number of rows: a row's probabilities must not depend on what shares its batch.
   */
  static float[] softmax(float[] logits, int width) {
    float[] out = new float[logits.length];
    for (int row = 0; row < logits.length; row += width) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < width; j++) {
        max = Math.max(max, logits[row + j]);
      }
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += Math.exp(logits[row + j] - max);
      }
      for (int j = 0; j < width; j++) {
        out[row + j] = (float) (Math.exp(logits[row + j] - max) / sum);
      }
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
