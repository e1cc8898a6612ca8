package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.archipelago.trainer.model.DiffusionTransformer;
import java.util.Arrays;

/**
 * Draws images by integrating the learned velocity from noise (t = 1) to data (t = 0) with Euler
 * steps of equal size: x ← x − Δt·v(x, t). Unconditional (or with the null class for conditional
 * models).
 */
public final class EulerSampler {
  private EulerSampler() {}

  /**
   * @param noise starting noise [B, C, H, W]
   * @return the images at t = 0, in the data's [−1, 1] scale (not clipped)
   */
  public static NDArray sample(DiffusionTransformer model, NDArray noise, int steps) {
    NDManager manager = noise.getManager();
    long batch = noise.getShape().get(0);
    NDArray x = noise.duplicate();
    float dt = 1f / steps;
    for (int i = 0; i < steps; i++) {
      float t = 1f - i * dt;
      try (NDManager scope = manager.newSubManager()) {
        NDArray time = scope.full(new Shape(batch), t);
        NDList inputs = new NDList(x, time);
        if (model.config().classConditional()) {
          long[] nullClass = new long[(int) batch];
          Arrays.fill(nullClass, model.config().numClasses());
          inputs.add(scope.create(nullClass));
        }
        NDArray velocity =
            model.forward(new ParameterStore(scope, false), inputs, false).singletonOrThrow();
        NDArray next = x.sub(velocity.mul(dt));
        next.attach(manager);
        x.close();
        x = next;
      }
    }
    return x;
  }
}
