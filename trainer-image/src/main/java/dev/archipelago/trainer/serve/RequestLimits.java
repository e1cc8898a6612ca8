package dev.archipelago.trainer.serve;

import java.time.Duration;

/**
 * What one {@code /v1/generate} request may ask of the server.
 *
 * @param maxCount the most images
 * @param maxWork the most count × steps × experts evaluated per step (the request's share of the
 *     models' time)
 * @param maxTimeout the longest deadline a request may set, and the deadline of one that sets none
 */
public record RequestLimits(int maxCount, long maxWork, Duration maxTimeout) {
  public static final long DEFAULT_MAX_WORK = 32_768;
  public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofMinutes(10);

  public RequestLimits {
    if (maxCount < 1 || maxWork < 1 || maxTimeout.isNegative() || maxTimeout.isZero()) {
      throw new IllegalArgumentException(
          "request limits must be positive: " + maxCount + ", " + maxWork + ", " + maxTimeout);
    }
  }

  /** {@code maxCount} images, the default work and deadline limits. */
  public static RequestLimits ofCount(int maxCount) {
    return new RequestLimits(maxCount, DEFAULT_MAX_WORK, DEFAULT_MAX_TIMEOUT);
  }
}
