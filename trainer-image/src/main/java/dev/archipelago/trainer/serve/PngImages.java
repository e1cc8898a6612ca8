package dev.archipelago.trainer.serve;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Images in the data's [−1, 1] scale as PNGs: one image, or a grid of several. */
public final class PngImages {
  /** Pixels between grid cells. */
  public static final int GAP = 2;

  private PngImages() {}

  public static BufferedImage image(float[] chw, ImageShape shape) {
    int size = shape.size();
    int plane = size * size;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int p = y * size + x;
        int r = level(chw[p]);
        int g = shape.channels() >= 3 ? level(chw[plane + p]) : r;
        int b = shape.channels() >= 3 ? level(chw[2 * plane + p]) : r;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  /** Columns of a grid of {@code count} images: ⌈√count⌉. */
  public static int columns(int count) {
    return (int) Math.ceil(Math.sqrt(count));
  }

  public static BufferedImage grid(Generation generation) {
    int count = generation.request().count();
    int size = generation.shape().size();
    int columns = columns(count);
    int rows = (count + columns - 1) / columns;
    BufferedImage grid =
        new BufferedImage(
            columns * size + (columns - 1) * GAP,
            rows * size + (rows - 1) * GAP,
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      for (int i = 0; i < count; i++) {
        g.drawImage(
            image(generation.image(i), generation.shape()),
            (i % columns) * (size + GAP),
            (i / columns) * (size + GAP),
            null);
      }
    } finally {
      g.dispose();
    }
    return grid;
  }

  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding into memory failed", e);
    }
    return out.toByteArray();
  }

  private static int level(float value) {
    float clipped = Math.max(-1f, Math.min(1f, value));
    return Math.round((clipped + 1f) * 127.5f);
  }
}
