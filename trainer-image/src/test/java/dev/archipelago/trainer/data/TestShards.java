package dev.archipelago.trainer.data;

import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** Small fluent helpers that write WebDataset shards for tests. */
final class TestShards {
  private TestShards() {}

  static Path shapes(Path dir, int count, int imageSize, int shardSize) throws IOException {
    new ShapesDatasetGenerator(7)
        .generate(count, imageSize, shardSize, new LocalShardDirectory(dir));
    return dir;
  }

  static ShardBuilder shard(Path dir, String name) {
    return new ShardBuilder(dir.resolve(name));
  }

  static byte[] png(int width, int height, Color color) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static final class ShardBuilder {
    private final Path file;
    private final Map<String, Map<String, byte[]>> samples = new LinkedHashMap<>();

    private ShardBuilder(Path file) {
      this.file = file;
    }

    ShardBuilder image(String key, int label) throws IOException {
      return part(key, "png", png(8, 8, new Color(label * 40, 100, 200)))
          .part(key, "cls", Integer.toString(label).getBytes(StandardCharsets.US_ASCII));
    }

    ShardBuilder part(String key, String ext, byte[] bytes) {
      samples.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(ext, bytes);
      return this;
    }

    Path write() throws IOException {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file);
          WebDatasetShardWriter writer = new WebDatasetShardWriter(out)) {
        for (Map.Entry<String, Map<String, byte[]>> s : samples.entrySet()) {
          writer.write(s.getKey(), s.getValue());
        }
      }
      return file;
    }
  }
}
