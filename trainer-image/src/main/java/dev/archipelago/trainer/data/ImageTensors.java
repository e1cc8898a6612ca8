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
   * and returns its planes as a CHW array with values {@code v / 127.5 − 1}: grey is the BT.601
   * luma of the colours, alpha the source's (opaque when it has none).
   */
  public static float[] toChw(BufferedImage source, ImageFormat format) {
    int size = format.size();
    BufferedImage square = resizeAndCropCentre(source, size, format.hasAlpha());
    float[] chw = new float[format.values()];
    int plane = size * size;
    int colours = format.channels() >= 3 ? 3 : 1;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int argb = square.getRGB(x, y);
        int i = y * size + x;
        int r = (argb >> 16) & 0xFF;
        int g = (argb >> 8) & 0xFF;
        int b = argb & 0xFF;
        if (colours == 3) {
          chw[i] = scale(r);
          chw[plane + i] = scale(g);
          chw[2 * plane + i] = scale(b);
        } else {
          chw[i] = scale(0.299f * r + 0.587f * g + 0.114f * b);
        }
        if (format.hasAlpha()) {
          chw[colours * plane + i] = scale((argb >>> 24) & 0xFF);
        }
      }
    }
    return chw;
  }

  private static float scale(float level) {
    return level / 127.5f - 1f;
  }

  static BufferedImage resizeAndCropCentre(BufferedImage source, int size, boolean alpha) {
    BufferedImage image = source;
    // Bilinear sampling skips pixels when shrinking by more than 2×; halving first averages them.
    while (Math.min(image.getWidth(), image.getHeight()) >= 4 * size) {
      image =
          draw(
              alpha,
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
    return draw(alpha, image, size, size, -offsetX, -offsetY, scaledWidth, scaledHeight);
  }

  private static BufferedImage draw(
      boolean alpha,
      BufferedImage source,
      int canvasW,
      int canvasH,
      int x,
      int y,
      int width,
      int height) {
    // Without alpha planes, transparent pixels become black, as before.
    BufferedImage canvas =
        new BufferedImage(
            canvasW, canvasH, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
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
