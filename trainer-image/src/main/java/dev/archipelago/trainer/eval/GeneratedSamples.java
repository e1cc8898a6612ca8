package dev.archipelago.trainer.eval;

import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.ImageTensors;
import dev.archipelago.trainer.local.SampleRequest;
import dev.archipelago.trainer.local.ServeClient;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/**
 * Draws images from an inference server as a user gets them (its JSON answer's PNGs), in requests
 * of a fixed size with seeds {@code seed, seed+1, …}: the same settings start every arm from the
 * same noise, so arms are compared pairwise.
 */
public final class GeneratedSamples {
  private GeneratedSamples() {}

  /**
   * How to sample; null fields take the run's inference defaults.
   *
   * @param strategy top1, topk, full or sample; null with {@code expert}
   * @param expert one expert alone, or null for the ensemble
   */
  public record Settings(
      String strategy, Integer topK, Integer expert, String sampler, int steps, long seed) {}

  /**
   * @param images CHW RGB in [−1, 1]
   * @param secondsPerImage wall time of the requests over the images drawn
   */
  public record Drawn(float[][] images, double secondsPerImage) {}

  public static Drawn draw(
      ServeClient client, Settings settings, int count, int perRequest, int imageSize)
      throws IOException, InterruptedException {
    ImageFormat format = ImageFormat.rgb(imageSize);
    float[][] images = new float[count][];
    long start = System.nanoTime();
    int done = 0;
    for (long request = 0; done < count; request++) {
      int n = Math.min(perRequest, count - done);
      List<BufferedImage> answer =
          client.generateEach(
              new SampleRequest(
                  n,
                  settings.seed() + request,
                  settings.steps(),
                  settings.sampler(),
                  settings.strategy(),
                  settings.topK(),
                  settings.expert(),
                  SampleRequest.JSON));
      if (answer.size() != n) {
        throw new IOException("asked the server for " + n + " images and got " + answer.size());
      }
      for (BufferedImage image : answer) {
        if (image.getWidth() != imageSize || image.getHeight() != imageSize) {
          throw new IOException(
              "the server answers "
                  + image.getWidth()
                  + " px images; the run's data set is "
                  + imageSize
                  + " px");
        }
        images[done++] = ImageTensors.toChw(image, format);
      }
    }
    return new Drawn(images, (System.nanoTime() - start) / 1e9 / count);
  }
}
