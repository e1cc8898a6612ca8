package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;

/**
 * One expert's DiT in this process. With labels and a guidance scale g ≠ 1 it applies
 * classifier-free guidance, v = v(x, ∅) + g·(v(x, c) − v(x, ∅)), in one batch of twice the size
 * ({@link ClassifierFreeGuidance}). Calls are serialised: PyTorch already spreads one forward over
 * the intra-op threads.
 */
public final class DjlExpert implements VelocityModel, RowForward, AutoCloseable {
  private final DiffusionTransformer model;
  private final NDManager manager;
  private final ImageShape shape;
  private final boolean reduced;

  /** An fp32 model with freshly initialised parameters, to be loaded by {@link #weights()}. */
  public DjlExpert(DitConfig config, NDManager parent) {
    this(config, parent, DataType.FLOAT32);
  }

  /**
   * @param weights the type the parameters are held and the passes run in (fp32 or fp16); inputs
   *     and answers are fp32 either way
   */
  public DjlExpert(DitConfig config, NDManager parent, DataType weights) {
    this.manager = parent.newSubManager();
    this.model = new DiffusionTransformer(config);
    model.initializeParameters(manager, weights);
    this.reduced = weights != DataType.FLOAT32;
    this.shape = new ImageShape(config.inChannels(), config.imageSize());
  }

  public DiffusionTransformer model() {
    return model;
  }

  EmaWeights weights() {
    return new EmaWeights(model);
  }

  @Override
  public float[] velocity(VelocityQuery query) {
    requireShape(query);
    if (!ClassifierFreeGuidance.applies(query)) {
      return forward(query);
    }
    float[] both = forward(ClassifierFreeGuidance.expand(query, model.config().numClasses()));
    return ClassifierFreeGuidance.combine(both, query.guidance());
  }

  /** The raw velocity of a batch, guidance ignored. */
  @Override
  public synchronized float[] forward(ImageShape shape, float[] x, float[] t, long[] labels) {
    try (NDManager scope = manager.newSubManager()) {
      ParameterStore store = new ParameterStore(scope, false);
      float[] velocity =
          model
              .forward(store, ModelInputs.of(scope, shape, x, t, labels), false)
              .singletonOrThrow()
              .toType(DataType.FLOAT32, false)
              .toFloatArray();
      if (reduced) {
        requireFinite(velocity);
      }
      return velocity;
    }
  }

  /** fp16 tops out at 65504: weights with larger activations overflow to inf and NaN. */
  private static void requireFinite(float[] velocity) {
    for (float v : velocity) {
      if (!Float.isFinite(v)) {
        throw new IllegalStateException(
            "the expert's fp16 pass overflowed (non-finite velocity); serve it with --precision"
                + " fp32");
      }
    }
  }

  private float[] forward(VelocityQuery query) {
    return forward(query.shape(), query.x(), query.t(), query.labels());
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
