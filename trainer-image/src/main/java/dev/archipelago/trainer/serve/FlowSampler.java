package dev.archipelago.trainer.serve;

import dev.archipelago.api.spec.Sampler;

/**
 * Integrates the rectified-flow ODE dx/dt = v(x, t) from noise at t = 1 to data at t = 0 in {@code
 * steps} equal steps: Euler (x ← x − Δt·v) or Heun (Euler's guess, then the average of the slopes
 * at both ends; two evaluations per step, except the last step, which is Euler's as in EDM and
 * k-diffusion, so that no model is ever asked about t = 0 exactly). The velocity is re-evaluated,
 * and so re-routed, at every evaluation.
 */
public final class FlowSampler {
  private FlowSampler() {}

  /**
   * @param noise the starting images (count × shape, flat); not modified
   * @return the images at t = 0, in the data's [−1, 1] scale (not clipped)
   */
  public static float[] sample(
      VelocityModel model,
      Sampler method,
      ImageShape shape,
      float[] noise,
      long[] labels,
      float guidance,
      int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    float[] x = noise.clone();
    float dt = 1f / steps;
    for (int i = 0; i < steps; i++) {
      float t = 1f - i * dt;
      float next = i == steps - 1 ? 0f : 1f - (i + 1) * dt;
      float[] v = model.velocity(VelocityQuery.atTime(shape, x, t, labels, guidance));
      if (method == Sampler.HEUN && next > 0f) {
        float[] guess = axpy(x, -dt, v);
        float[] v2 = model.velocity(VelocityQuery.atTime(shape, guess, next, labels, guidance));
        for (int p = 0; p < v.length; p++) {
          v[p] = 0.5f * (v[p] + v2[p]);
        }
      }
      x = axpy(x, -dt, v);
    }
    return x;
  }

  /** x + a·v, as a new array. */
  private static float[] axpy(float[] x, float a, float[] v) {
    float[] out = new float[x.length];
    for (int p = 0; p < x.length; p++) {
      out[p] = x[p] + a * v[p];
    }
    return out;
  }
}
