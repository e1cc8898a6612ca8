package dev.archipelago.trainer.data.shapes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.trainer.data.ShardNames;
import dev.archipelago.trainer.data.ShardSink;
import dev.archipelago.trainer.data.WebDatasetShardWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes the procedurally drawn "shapes" data set as WebDataset shards: per sample a PNG, its class
 * label (the shape kind) in {@code .cls} and its generating factors in {@code .json}. The output
 * depends only on the seed, count, image size and shard size.
 */
public final class ShapesDatasetGenerator {
  /** Prefix of the shard names this generator writes. */
  public static final String SHARD_PREFIX = "shapes";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ShapeSpecSampler sampler;
  private final ShapeRenderer renderer = new ShapeRenderer();

  public ShapesDatasetGenerator(long seed) {
    this.sampler = new ShapeSpecSampler(seed);
  }

  /** What was written. */
  public record Summary(long samples, int shards, int[] samplesPerClass) {}

  public Summary generate(long count, int imageSize, int shardSize, ShardSink sink)
      throws IOException {
    if (count < 1 || imageSize < 4 || shardSize < 1) {
      throw new IllegalArgumentException(
          "need count >= 1, imageSize >= 4 and shardSize >= 1, got "
              + count
              + ", "
              + imageSize
              + ", "
              + shardSize);
    }
    int[] perClass = new int[ShapeKind.classCount()];
    int shards = 0;
    for (long first = 0; first < count; first += shardSize) {
      long end = Math.min(count, first + shardSize);
      try (WebDatasetShardWriter writer =
          new WebDatasetShardWriter(sink.create(ShardNames.shardName(SHARD_PREFIX, shards)))) {
        for (long i = first; i < end; i++) {
          ShapeSpec spec = sampler.sample(i);
          writer.write(ShardNames.sampleKey(i), encode(spec, imageSize));
          perClass[spec.label()]++;
        }
      }
      shards++;
    }
    return new Summary(count, shards, perClass);
  }

  private Map<String, byte[]> encode(ShapeSpec spec, int imageSize) throws IOException {
    Map<String, byte[]> parts = new LinkedHashMap<>();
    parts.put("png", png(renderer.render(spec, imageSize)));
    parts.put("cls", Integer.toString(spec.label()).getBytes(StandardCharsets.US_ASCII));
    parts.put("json", JSON.writeValueAsBytes(spec.metadata()));
    return parts;
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("no PNG writer in this JRE");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
