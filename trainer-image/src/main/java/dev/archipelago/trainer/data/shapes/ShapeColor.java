package dev.archipelago.trainer.data.shapes;

import java.awt.Color;

/** Fill colours of the shapes: saturated, so every one stands out on every background. */
public enum ShapeColor {
  RED(new Color(220, 40, 40)),
  GREEN(new Color(40, 190, 60)),
  BLUE(new Color(50, 90, 230)),
  YELLOW(new Color(240, 210, 30)),
  MAGENTA(new Color(210, 50, 200)),
  CYAN(new Color(40, 200, 210));

  private final Color rgb;

  ShapeColor(Color rgb) {
    this.rgb = rgb;
  }

  Color rgb() {
    return rgb;
  }
}
