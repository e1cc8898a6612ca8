package dev.archipelago.trainer.latent;

import ai.djl.ndarray.types.Shape;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.TorchScriptModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A user's TorchScript VAE encoder: images [B, C, S, S] in [−1, 1] to latents [B, c, s, s], or to
 * [B, 2c, s, s] (a diagonal Gaussian's mean and log-variance, as Stable Diffusion's VAE returns
 * it), of which the mean is kept. The latents are returned unscaled, as the encoder gives them.
 */
public final class LatentEncoder implements AutoCloseable {
  private final TorchScriptModule module;
  private final ImageFormat images;
  private final LatentShape latents;

  public LatentEncoder(Path moduleFile, String origin, ImageFormat images, LatentShape latents)
      throws IOException {
    this.module = new TorchScriptModule(moduleFile, origin);
    this.images = images;
    this.latents = latents;
  }

  /** One latent per image, [c, s, s] flattened. */
  public float[][] encode(List<Sample> batch) {
    int perImage = images.values();
    float[] packed = new float[batch.size() * perImage];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).pixels(), 0, packed, i * perImage, perImage);
    }
    TorchScriptModule.Output out =
        module.run(
            packed, new Shape(batch.size(), images.channels(), images.size(), images.size()));
    long[] shape = out.shape();
    boolean mean = shape.length == 4 && shape[1] == latents.channels();
    boolean gaussian = shape.length == 4 && shape[1] == 2L * latents.channels();
    if (shape[0] != batch.size()
        || !(mean || gaussian)
        || shape[2] != latents.size()
        || shape[3] != latents.size()) {
      throw new IllegalStateException(
          "the encoder "
              + module.origin()
              + " returned "
              + Arrays.toString(shape)
              + " for "
              + batch.size()
              + " images; spec.dataset.latents asks for ["
              + batch.size()
              + ", "
              + latents.channels()
              + " (or twice that), "
              + latents.size()
              + ", "
              + latents.size()
              + "]");
    }
    int perOutput = (int) (shape[1] * shape[2] * shape[3]);
    float[][] rows = new float[batch.size()][latents.values()];
    for (int i = 0; i < batch.size(); i++) {
      // The mean is the first c planes of a Gaussian's 2c.
      System.arraycopy(out.values(), i * perOutput, rows[i], 0, latents.values());
    }
    return rows;
  }

  /** [c, s, s]: the shape of every latent {@link #encode} returns. */
  public int[] latentShape() {
    return new int[] {latents.channels(), latents.size(), latents.size()};
  }

  public String describe() {
    return module.origin() + " (" + images.size() + " px to " + latents + ")";
  }

  @Override
  public void close() {
    module.close();
  }
}
