package dev.archipelago.trainer.serve;

/** The shape of one image the models take and produce: {@code channels × size × size}. */
public record ImageShape(int channels, int size) {
  public ImageShape {
    if (channels < 1 || size < 1) {
      throw new IllegalArgumentException("bad image shape " + channels + "x" + size);
    }
  }

  /** Floats per image. */
  public int values() {
    return channels * size * size;
  }
}
