package dev.archipelago.trainer.data;

import java.util.OptionalInt;

/**
 * A decoded training sample: an RGB image as a CHW float array in [−1, 1] of side {@code
 * imageSize}, and its class label when the sample has one.
 */
public record Sample(String key, float[] pixels, int imageSize, OptionalInt label) {
  /** Every sample is RGB; grey or RGBA sources are converted on decoding. */
  public static final int CHANNELS = 3;
}
