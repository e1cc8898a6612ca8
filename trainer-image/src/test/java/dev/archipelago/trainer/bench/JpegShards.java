package dev.archipelago.trainer.bench;

import dev.archipelago.trainer.data.WebDatasetShardWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** JPEG shards for the benchmarks: photo-like content (gradients and noise), seeded. */
final class JpegShards {
  private JpegShards() {}

  /** Photo-like JPEGs (gradients plus noise) with a class label, {@code perShard} a shard. */
  static long write(Path dir, int images, int size, int perShard) throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    long bytes = 0;
    for (int shard = 0; shard * perShard < images; shard++) {
      Path file = dir.resolve(String.format("bench-%06d.tar", shard));
      try (OutputStream out = Files.newOutputStream(file);
          WebDatasetShardWriter writer = new WebDatasetShardWriter(out)) {
        for (int i = shard * perShard; i < Math.min(images, (shard + 1) * perShard); i++) {
          Map<String, byte[]> parts = new LinkedHashMap<>();
          byte[] jpeg = jpeg(size, random);
          bytes += jpeg.length;
          parts.put("jpg", jpeg);
          parts.put("cls", Integer.toString(i % 10).getBytes(StandardCharsets.US_ASCII));
          writer.write(String.format("%08d", i), parts);
        }
      }
    }
    return bytes;
  }

  private static byte[] jpeg(int size, SplittableRandom random) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int r0 = random.nextInt(256);
    int g0 = random.nextInt(256);
    int b0 = random.nextInt(256);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int noise = random.nextInt(-24, 25);
        int r = clamp(r0 + x * 128 / size + noise);
        int g = clamp(g0 + y * 128 / size + noise);
        int b = clamp(b0 + (x + y) * 64 / size + noise);
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
