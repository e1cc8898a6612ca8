package dev.archipelago.trainer.latent;

import dev.archipelago.api.spec.LatentSpec;

/** A latent's layout, [channels, size, size], and the factor that scales it for training. */
public record LatentShape(int channels, int size, double scalingFactor) {
  public LatentShape {
    if (channels < 1 || size < 1 || !(scalingFactor > 0)) {
      throw new IllegalArgumentException(
          "bad latent shape " + channels + "x" + size + "x" + size + " scaled " + scalingFactor);
    }
  }

  public static LatentShape of(LatentSpec spec) {
    return new LatentShape(
        spec.getChannels(),
        spec.getSize(),
        spec.getScalingFactor() == null ? 1.0 : spec.getScalingFactor());
  }

  /** Floats per latent. */
  public int values() {
    return channels * size * size;
  }

  @Override
  public String toString() {
    return channels + "x" + size + "x" + size;
  }
}
