package dev.archipelago.trainer.data.shapes;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;

/** What lies behind the shape. */
public enum Background {
  BLACK,
  WHITE,
  GRADIENT,
  STRIPES;

  void paint(Graphics2D g, int size) {
    switch (this) {
      case BLACK:
        g.setColor(new Color(15, 15, 20));
        g.fillRect(0, 0, size, size);
        break;
      case WHITE:
        g.setColor(new Color(240, 240, 235));
        g.fillRect(0, 0, size, size);
        break;
      case GRADIENT:
        g.setPaint(
            new GradientPaint(0, 0, new Color(30, 30, 60), size, size, new Color(170, 170, 190)));
        g.fillRect(0, 0, size, size);
        break;
      case STRIPES:
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(140, 140, 140));
        int stripe = Math.max(1, size / 8);
        for (int x = 0; x < size; x += 2 * stripe) {
          g.fillRect(x, 0, stripe, size);
        }
        break;
      default:
        throw new IllegalStateException("unknown background " + this);
    }
  }
}
