package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/** Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
  private static final double EPSILON = 1e-6;

  private GradientClipping() {}

  /**
   * √(Σ ‖g‖²) over the gradients; NaN or infinite when any element is. Each tensor's sum of squares
   * (fp32, as PyTorch's) is reduced on its device, the total in double, and only that is read back.
   */
  public static double globalNorm(Collection<NDArray> gradients) {
    NDArray total = null;
    for (NDArray gradient : gradients) {
      NDArray squares = gradient.square().sum().toType(DataType.FLOAT64, false);
      total = total == null ? squares : total.add(squares.toDevice(total.getDevice(), false));
    }
    return total == null ? 0 : Math.sqrt(total.getDouble());
  }

  /** The factor that brings {@code norm} down to {@code maxNorm}; 1 when already below or off. */
  public static float scaleFor(double norm, double maxNorm) {
    if (maxNorm <= 0 || norm <= maxNorm) {
      return 1f;
    }
    return (float) (maxNorm / (norm + EPSILON));
  }
}
