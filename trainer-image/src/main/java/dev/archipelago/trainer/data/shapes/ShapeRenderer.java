package dev.archipelago.trainer.data.shapes;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/** Draws a {@link ShapeSpec} with Java2D. Pure: the same spec and size give the same pixels. */
public final class ShapeRenderer {

  public BufferedImage render(ShapeSpec spec, int imageSize) {
    BufferedImage image = new BufferedImage(imageSize, imageSize, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      spec.background().paint(g, imageSize);
      AffineTransform placement = new AffineTransform();
      placement.translate(spec.centerX() * imageSize, spec.centerY() * imageSize);
      placement.rotate(Math.toRadians(spec.rotationDegrees()));
      g.transform(placement);
      g.setColor(spec.color().rgb());
      g.fill(spec.kind().outline(spec.size().fractionOfImage() * imageSize));
    } finally {
      g.dispose();
    }
    return image;
  }
}
