package dev.archipelago.trainer.data;

import java.util.OptionalInt;

/**
 * A decoded training sample: an image as a CHW float array (channels as its {@link ImageFormat}
 * says) in [−1, 1] of side {@code imageSize}, a scaled latent of the same layout, or (for
 * precomputed features) a vector with {@code imageSize} 1; and its class label when it has one.
 * {@code shard} and {@code key} together identify the sample (keys are unique within a shard only).
 */
public record Sample(String shard, String key, float[] pixels, int imageSize, OptionalInt label) {
  /** Planes of the image (see {@link ImageFormat}). */
  public int channels() {
    return pixels.length / (imageSize * imageSize);
  }
}
