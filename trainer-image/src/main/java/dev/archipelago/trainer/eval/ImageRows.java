package dev.archipelago.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Images held as one array each, put into one tensor for a pass. */
final class ImageRows {
  private ImageRows() {}

  /** Rows {@code first … end−1} of {@code images} as a tensor [n, ...perImage]. */
  static NDArray tensor(float[][] images, int first, int end, Shape perImage, NDManager manager) {
    int values = (int) perImage.size();
    float[] flat = new float[(end - first) * values];
    for (int i = first; i < end; i++) {
      if (images[i].length != values) {
        throw new IllegalArgumentException(
            "image " + i + " has " + images[i].length + " values, expected " + perImage);
      }
      System.arraycopy(images[i], 0, flat, (i - first) * values, values);
    }
    return manager.create(flat, new Shape(end - first).addAll(perImage));
  }
}
