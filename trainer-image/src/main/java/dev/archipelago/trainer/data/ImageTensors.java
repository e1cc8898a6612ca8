package dev.archipelago.trainer.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns a decoded image into the model's input: resized, centre-cropped, CHW, scaled to [−1, 1].
 */
public final class ImageTensors {
  private ImageTensors() {}

  /**
   * Resizes so the shorter side is {@code size} (keeping the aspect ratio), crops the centre square
   * and returns the RGB pixels as a CHW array with values {@code v / 127.5 − 1}.
   */
  public static float[] toChw(BufferedImage source, int size) {
    BufferedImage square = resizeAndCropCentre(source, size);
    float[] chw = new float[Sample.CHANNELS * size * size];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = square.getRGB(x, y);
        int i = y * size + x;
        chw[i] = ((rgb >> 16) & 0xFF) / 127.5f - 1f;
        chw[plane + i] = ((rgb >> 8) & 0xFF) / 127.5f - 1f;
        chw[2 * plane + i] = (rgb & 0xFF) / 127.5f - 1f;
      }
    }
    return chw;
  }

  static BufferedImage resizeAndCropCentre(BufferedImage source, int size) {
    BufferedImage image = source;
    // Bilinear sampling skips pixels when shrinking by more than 2×; halving first averages them.
    while (Math.min(image.getWidth(), image.getHeight()) >= 4 * size) {
      image =
          draw(
              image,
              image.getWidth() / 2,
              image.getHeight() / 2,
              0,
              0,
              image.getWidth() / 2,
              image.getHeight() / 2);
    }
    double scale = (double) size / Math.min(image.getWidth(), image.getHeight());
    int scaledWidth = Math.max(size, (int) Math.round(image.getWidth() * scale));
    int scaledHeight = Math.max(size, (int) Math.round(image.getHeight() * scale));
    int offsetX = (scaledWidth - size) / 2;
    int offsetY = (scaledHeight - size) / 2;
    return draw(image, size, size, -offsetX, -offsetY, scaledWidth, scaledHeight);
  }

  private static BufferedImage draw(
      BufferedImage source, int canvasW, int canvasH, int x, int y, int width, int height) {
    BufferedImage canvas = new BufferedImage(canvasW, canvasH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, x, y, width, height, null);
    } finally {
      g.dispose();
    }
    return canvas;
  }
}
