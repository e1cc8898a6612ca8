package dev.archipelago.trainer.data;

import java.util.OptionalInt;

/**
 * A decoded training sample: an RGB image as a CHW float array in [−1, 1] of side {@code
 * imageSize}, and its class label when the sample has one. {@code shard} and {@code key} together
 * identify the sample (keys are unique within a shard only).
 */
public record Sample(String shard, String key, float[] pixels, int imageSize, OptionalInt label) {
  /** Every sample is RGB; grey or RGBA sources are converted on decoding. */
  public static final int CHANNELS = 3;
}
