package dev.archipelago.trainer.train;

/**
 * Dynamic loss scaling for fp16 (as {@code torch.cuda.amp.GradScaler}): the loss is multiplied by
 * the scale before backward so small gradients survive fp16; a step whose unscaled gradients are
 * not finite is skipped and the scale halved; after {@link #GROWTH_INTERVAL} clean steps in a row
 * it doubles. Its state goes into checkpoints, so a resumed run scales exactly as a straight one.
 */
public final class LossScaler {
  static final double INITIAL_SCALE = 65536;
  static final int GROWTH_INTERVAL = 2000;
  private static final double MIN_SCALE = 1;
  private static final double MAX_SCALE = 1 << 24;

  private final boolean dynamic;
  private double scale;
  private long cleanSteps;
  private long skippedSteps;

  /** The saved form: the scale, clean steps since it last changed, and steps skipped in all. */
  public record State(double scale, long cleanSteps, long skippedSteps) {}

  private LossScaler(boolean dynamic, double scale) {
    this.dynamic = dynamic;
    this.scale = scale;
  }

  /** Scaling for fp16; a fixed scale of 1 (never skipping) otherwise. */
  public static LossScaler forPrecision(ComputePrecision precision) {
    return precision.needsLossScaling() ? new LossScaler(true, INITIAL_SCALE) : fixed();
  }

  /** A scale of 1 that never skips: non-finite gradients are the optimizer's error to raise. */
  public static LossScaler fixed() {
    return new LossScaler(false, 1);
  }

  public boolean isDynamic() {
    return dynamic;
  }

  public double scale() {
    return scale;
  }

  /** Steps skipped for overflow since training began. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /**
   * Records a step's outcome and says whether to apply it.
   *
   * @param gradientsFinite whether every unscaled gradient was finite
   * @return true to take the optimizer step; false when it must be skipped
   * @throws ArithmeticException when the gradients overflow at scale 1 already
   */
  public boolean accept(boolean gradientsFinite) {
    if (!dynamic) {
      return true;
    }
    if (!gradientsFinite) {
      if (scale == MIN_SCALE) {
        // Nothing left to back off: the gradients themselves overflow, as fp32's would.
        throw new ArithmeticException(
            "fp16 gradients are not finite even at loss scale 1 (after "
                + skippedSteps
                + " skipped steps): training diverged or the model overflows fp16; lower the"
                + " learning rate or train in fp32");
      }
      scale = Math.max(MIN_SCALE, scale / 2);
      cleanSteps = 0;
      skippedSteps++;
      return false;
    }
    cleanSteps++;
    if (cleanSteps == GROWTH_INTERVAL) {
      scale = Math.min(MAX_SCALE, scale * 2);
      cleanSteps = 0;
    }
    return true;
  }

  public State exportState() {
    return new State(scale, cleanSteps, skippedSteps);
  }

  public void importState(State state) {
    if (!dynamic) {
      return;
    }
    if (!(state.scale() >= MIN_SCALE && state.scale() <= MAX_SCALE)) {
      throw new IllegalArgumentException("loss scale out of range: " + state.scale());
    }
    scale = state.scale();
    cleanSteps = state.cleanSteps();
    skippedSteps = state.skippedSteps();
  }
}
