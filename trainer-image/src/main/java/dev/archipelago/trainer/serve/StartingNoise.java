package dev.archipelago.trainer.serve;

import dev.archipelago.trainer.random.Seeds;
import java.util.SplittableRandom;

/**
 * The Gaussian noise a generation starts from. Image i's noise depends only on (seed, i), so a
 * request for more images of the same seed begins with the same ones.
 */
public final class StartingNoise {
  private static final long STREAM = 0x5EED_1A9EL;

  private StartingNoise() {}

  public static float[] draw(long seed, int count, ImageShape shape) {
    int values = shape.values();
    float[] noise = new float[count * values];
    for (int i = 0; i < count; i++) {
      SplittableRandom random = Seeds.random(seed, STREAM, i);
      for (int p = 0; p < values; p++) {
        noise[i * values + p] = (float) random.nextGaussian();
      }
    }
    return noise;
  }
}
