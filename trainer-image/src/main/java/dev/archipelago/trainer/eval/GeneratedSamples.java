package dev.archipelago.trainer.eval;

import ai.djl.engine.Engine;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.ImageTensors;
import dev.archipelago.trainer.local.SampleRequest;
import dev.archipelago.trainer.local.ServeClient;
import dev.archipelago.trainer.serve.BatchPolicy;
import dev.archipelago.trainer.serve.ExpertPrecision;
import dev.archipelago.trainer.serve.RequestLimits;
import dev.archipelago.trainer.serve.ServeOptions;
import dev.archipelago.trainer.serve.ServeRole;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * How {@code evaluate} serves a run's checkpoints in its own process: colocated on loopback, one
   * request at a time, each request one forward pass per model and step, in the precision {@code
   * serve} would pick.
   */
  public static ServeOptions servingOptions(int perRequest, Duration timeout) {
    return new ServeOptions(
        ServeRole.COLOCATED,
        null,
        List.of(),
        new InetSocketAddress("127.0.0.1", 0),
        null,
        new RequestLimits(perRequest, Long.MAX_VALUE, timeout),
        1,
        Optional.of(new BatchPolicy(perRequest, Duration.ZERO, 0)),
        ExpertPrecision.resolve("auto", Engine.getInstance().getGpuCount()),
        Map.of(),
        null,
        timeout);
  }

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
