package dev.archipelago.trainer.data.shapes;

/** How much of the image a shape spans. */
public enum ShapeSize {
  SMALL(0.35),
  MEDIUM(0.55),
  LARGE(0.75);

  private final double fractionOfImage;

  ShapeSize(double fractionOfImage) {
    this.fractionOfImage = fractionOfImage;
  }

  /** The shape's extent as a fraction of the image side. */
  public double fractionOfImage() {
    return fractionOfImage;
  }
}
