package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;

/**
 * Rectified flow between data (t = 0) and noise (t = 1): x_t = (1 − t)·x0 + t·ε, whose velocity
 * dx_t/dt = ε − x0 is the regression target. Sampling integrates it from t = 1 back to 0.
 */
public final class RectifiedFlow {
  private RectifiedFlow() {}

  /** x_t for images [B, C, H, W], noise of the same shape and times [B]. */
  public static NDArray interpolate(NDArray x0, NDArray noise, NDArray times) {
    NDArray t = times.reshape(times.getShape().get(0), 1, 1, 1);
    // (1 − t)·x0 written as x0 − t·x0: tensor operands only (see the Number trap in model.Tensors).
    return x0.sub(x0.mul(t)).add(noise.mul(t));
  }

  /** The velocity target ε − x0. */
  public static NDArray velocity(NDArray x0, NDArray noise) {
    return noise.sub(x0);
  }

  /** Mean squared error between predicted and target velocity, averaged over every element. */
  public static NDArray loss(NDArray predicted, NDArray target) {
    return predicted.sub(target).square().mean();
  }
}
