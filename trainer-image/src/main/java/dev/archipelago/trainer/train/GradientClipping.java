package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/** Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
  private static final double EPSILON = 1e-6;

  private GradientClipping() {}

  /** √(Σ over trainable parameters of ‖g‖²), accumulated in double. */
  public static double globalNorm(PairList<String, Parameter> parameters) {
    double sumOfSquares = 0;
    for (Pair<String, Parameter> named : parameters) {
      if (named.getValue().requiresGradient()) {
        NDArray gradient = named.getValue().getArray().getGradient();
        sumOfSquares +=
            gradient
                .square()
                .sum()
                .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                .getDouble();
      }
    }
    return Math.sqrt(sumOfSquares);
  }

  /** The factor that brings {@code norm} down to {@code maxNorm}; 1 when already below or off. */
  public static float scaleFor(double norm, double maxNorm) {
    if (maxNorm <= 0 || norm <= maxNorm) {
      return 1f;
    }
    return (float) (maxNorm / (norm + EPSILON));
  }
}
