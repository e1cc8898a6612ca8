package dev.archipelago.trainer.data.shapes;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The kinds of shape the generator draws. A sample's class label is its kind's {@link #label()}, so
 * the class set is exactly this enum in declaration order (keep the order stable: labels are data).
 */
public enum ShapeKind {
  CIRCLE,
  SQUARE,
  TRIANGLE,
  CROSS,
  RING;

  /** The integer class label written to {@code <key>.cls}. */
  public int label() {
    return ordinal();
  }

  /** Number of classes in a shapes data set. */
  public static int classCount() {
    return values().length;
  }

  /** The outline of this kind centred on the origin, fitting a square of side {@code extent}. */
  Shape outline(double extent) {
    double r = extent / 2;
    switch (this) {
      case CIRCLE:
        return new Ellipse2D.Double(-r, -r, extent, extent);
      case SQUARE:
        // The square's diagonal, not its side, spans the extent so rotations stay in frame.
        double half = r / Math.sqrt(2);
        return new Rectangle2D.Double(-half, -half, 2 * half, 2 * half);
      case TRIANGLE:
        Path2D.Double triangle = new Path2D.Double();
        for (int i = 0; i < 3; i++) {
          double angle = -Math.PI / 2 + i * 2 * Math.PI / 3;
          double x = r * Math.cos(angle);
          double y = r * Math.sin(angle);
          if (i == 0) {
            triangle.moveTo(x, y);
          } else {
            triangle.lineTo(x, y);
          }
        }
        triangle.closePath();
        return triangle;
      case CROSS:
        double arm = r * 0.35;
        Area cross = new Area(new Rectangle2D.Double(-r, -arm, extent, 2 * arm));
        cross.add(new Area(new Rectangle2D.Double(-arm, -r, 2 * arm, extent)));
        return cross;
      case RING:
        Area ring = new Area(new Ellipse2D.Double(-r, -r, extent, extent));
        double inner = r * 0.55;
        ring.subtract(new Area(new Ellipse2D.Double(-inner, -inner, 2 * inner, 2 * inner)));
        return ring;
      default:
        throw new IllegalStateException("unknown shape kind " + this);
    }
  }
}
