package dev.archipelago.trainer.serve;

import java.time.Duration;

/**
 * How one model's evaluations are batched across requests.
 *
 * @param maxRows the most images (rows) one forward pass takes
 * @param maxWait how long the oldest waiting row may wait for others to fill its batch
 * @param padRows a forward pass with fewer rows is padded to this many, so that a row's result does
 *     not depend on how many rows share its pass (kernels change with the batch's size); 0 disables
 *     padding, {@link #CALIBRATE} measures the value when the model loads
 */
public record BatchPolicy(int maxRows, Duration maxWait, int padRows) {
  /** Measure {@code padRows} at load time ({@link PaddingCalibration}). */
  public static final int CALIBRATE = -1;

  public BatchPolicy {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
    if (padRows < CALIBRATE || padRows > maxRows) {
      throw new IllegalArgumentException(
          "padRows must be between 0 and maxRows (" + maxRows + ") or CALIBRATE, got " + padRows);
    }
  }

  /** The same policy with a measured padding. */
  public BatchPolicy withPadRows(int rows) {
    return new BatchPolicy(maxRows, maxWait, rows);
  }
}
