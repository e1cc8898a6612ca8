package dev.archipelago.trainer.serve;

import java.util.Arrays;

/**
 * One velocity evaluation for a batch: x_t of {@code count} images (flat, CHW each), a time per
 * image and, for class-conditional models, a class per image with a classifier-free guidance scale
 * (1 = plain conditional sampling).
 *
 * @param labels null for unconditional models; otherwise one class per image, where the model's
 *     {@code numClasses} is the null class
 */
public record VelocityQuery(
    ImageShape shape, int count, float[] x, float[] t, long[] labels, float guidance) {

  public VelocityQuery {
    if (x.length != count * shape.values() || t.length != count) {
      throw new IllegalArgumentException(
          "a query of "
              + count
              + " images needs "
              + count * shape.values()
              + " values and "
              + count
              + " times, got "
              + x.length
              + " and "
              + t.length);
    }
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException(count + " images need " + count + " labels");
    }
  }

  /** The same time for every image. */
  public static VelocityQuery atTime(
      ImageShape shape, float[] x, float time, long[] labels, float guidance) {
    int count = x.length / shape.values();
    float[] t = new float[count];
    Arrays.fill(t, time);
    return new VelocityQuery(shape, count, x, t, labels, guidance);
  }

  /** The same images and times with other labels and guidance scale. */
  public VelocityQuery withLabels(long[] otherLabels, float otherGuidance) {
    return new VelocityQuery(shape, count, x, t, otherLabels, otherGuidance);
  }

  /** The images at {@code rows}, in that order. */
  public VelocityQuery rows(int[] rows) {
    int n = shape.values();
    float[] subX = new float[rows.length * n];
    float[] subT = new float[rows.length];
    long[] subLabels = labels == null ? null : new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * n, subX, i * n, n);
      subT[i] = t[rows[i]];
      if (labels != null) {
        subLabels[i] = labels[rows[i]];
      }
    }
    return new VelocityQuery(shape, rows.length, subX, subT, subLabels, guidance);
  }
}
