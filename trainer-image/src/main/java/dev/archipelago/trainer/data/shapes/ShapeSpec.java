package dev.archipelago.trainer.data.shapes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines one generated image. Centre coordinates are fractions of the image
 * side, so one spec renders the same picture at any resolution.
 */
public record ShapeSpec(
    ShapeKind kind,
    ShapeColor color,
    ShapeSize size,
    Background background,
    double centerX,
    double centerY,
    double rotationDegrees) {

  /** The class label of this sample (its shape kind). */
  public int label() {
    return kind.label();
  }

  /**
   * The metadata written to {@code <key>.json}: the generating factors, for partitioning checks.
   */
  public Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", label());
    m.put("shape", kind.name().toLowerCase());
    m.put("color", color.name().toLowerCase());
    m.put("size", size.name().toLowerCase());
    m.put("background", background.name().toLowerCase());
    m.put("centerX", centerX);
    m.put("centerY", centerY);
    m.put("rotationDegrees", rotationDegrees);
    return m;
  }
}
