package dev.archipelago.trainer.latent;

import ai.djl.ndarray.types.Shape;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.model.TorchScriptModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A user's TorchScript VAE decoder: latents [B, c, s, s] (unscaled, as the encoder made them) to
 * images [B, C, S, S] in [−1, 1]. Takes latents as the experts produce them (multiplied by the
 * scaling factor) and divides them first. Not thread-safe.
 */
public final class LatentDecoder implements AutoCloseable {
  private final TorchScriptModule module;
  private final LatentShape latents;
  private final ImageFormat images;

  public LatentDecoder(Path moduleFile, String origin, LatentShape latents, ImageFormat images)
      throws IOException {
    this.module = new TorchScriptModule(moduleFile, origin);
    this.latents = latents;
    this.images = images;
  }

  public ImageFormat images() {
    return images;
  }

  /** {@code count} scaled latents, flat, to {@code count} images, flat CHW. */
  public float[] decode(float[] scaledLatents, int count) {
    if (scaledLatents.length != count * latents.values()) {
      throw new IllegalArgumentException(
          scaledLatents.length + " values are not " + count + " latents of " + latents);
    }
    float[] unscaled = new float[scaledLatents.length];
    float inverse = (float) (1.0 / latents.scalingFactor());
    for (int i = 0; i < unscaled.length; i++) {
      unscaled[i] = scaledLatents[i] * inverse;
    }
    TorchScriptModule.Output out =
        module.run(unscaled, new Shape(count, latents.channels(), latents.size(), latents.size()));
    long[] expected = {count, images.channels(), images.size(), images.size()};
    if (!Arrays.equals(out.shape(), expected)) {
      throw new IllegalStateException(
          "the decoder "
              + module.origin()
              + " returned "
              + Arrays.toString(out.shape())
              + "; spec.dataset asks for images "
              + Arrays.toString(expected));
    }
    return out.values();
  }

  @Override
  public void close() {
    module.close();
  }
}
