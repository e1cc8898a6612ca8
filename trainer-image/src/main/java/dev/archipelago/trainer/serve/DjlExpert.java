package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import java.util.Arrays;

/**
 * One expert's DiT in this process. With labels and a guidance scale g ≠ 1 it applies
 * classifier-free guidance, v = v(x, ∅) + g·(v(x, c) − v(x, ∅)), in one batch of twice the size.
 * Calls are serialised: PyTorch already spreads one forward over the intra-op threads.
 */
public final class DjlExpert implements VelocityModel, AutoCloseable {
  private final DiffusionTransformer model;
  private final NDManager manager;
  private final ImageShape shape;

  /** A model with freshly initialised parameters, to be loaded by {@link #weights()}. */
  public DjlExpert(DitConfig config, NDManager parent) {
    this.manager = parent.newSubManager();
    this.model = new DiffusionTransformer(config);
    model.initializeParameters(manager, DataType.FLOAT32);
    this.shape = new ImageShape(config.inChannels(), config.imageSize());
  }

  public DiffusionTransformer model() {
    return model;
  }

  EmaWeights weights() {
    return new EmaWeights(model);
  }

  @Override
  public synchronized float[] velocity(VelocityQuery query) {
    requireShape(query);
    try (NDManager scope = manager.newSubManager()) {
      ParameterStore store = new ParameterStore(scope, false);
      if (query.labels() == null || query.guidance() == 1f) {
        NDArray v = model.forward(store, ModelInputs.of(scope, query), false).singletonOrThrow();
        return v.toFloatArray();
      }
      int count = query.count();
      long[] labels = Arrays.copyOf(query.labels(), 2 * count);
      Arrays.fill(labels, count, 2 * count, model.config().numClasses());
      float[] x = Arrays.copyOf(query.x(), 2 * query.x().length);
      System.arraycopy(query.x(), 0, x, query.x().length, query.x().length);
      float[] t = Arrays.copyOf(query.t(), 2 * count);
      System.arraycopy(query.t(), 0, t, count, count);
      NDArray both =
          model
              .forward(store, ModelInputs.of(scope, shape, x, t, labels), false)
              .singletonOrThrow();
      NDArray conditional = both.get("0:" + count);
      NDArray unconditional = both.get(count + ":");
      return unconditional.add(conditional.sub(unconditional).mul(query.guidance())).toFloatArray();
    }
  }

  private void requireShape(VelocityQuery query) {
    if (!query.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "this expert takes " + shape + " images, the query has " + query.shape());
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
