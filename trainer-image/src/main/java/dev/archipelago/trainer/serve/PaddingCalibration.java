package dev.archipelago.trainer.serve;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the smallest forward pass whose rows come out bit for bit as in a full pass of {@code
 * maxRows}: linear-algebra libraries pick other kernels, with another order of summation, for small
 * batches (PyTorch on CPU here: batches under about 2,800 tokens), so without padding an image's
 * velocity, and so its bytes, would depend on how many other requests share its pass. It checks
 * every size from {@code maxRows − 1} down, and that the full pass does not depend on row order
 * either; batches then are padded to the size found.
 */
public final class PaddingCalibration {
  private static final Logger LOG = LoggerFactory.getLogger(PaddingCalibration.class);

  private PaddingCalibration() {}

  /**
   * @param classes the model's class count (its null class is {@code classes}), or 0 if
   *     unconditional
   * @return rows to pad every pass to; {@code maxRows} when the model is not even reproducible at
   *     one size (then nothing smaller is tried)
   */
  public static int rows(
      String name, RowForward model, ImageShape shape, int classes, int maxRows) {
    SplittableRandom random = new SplittableRandom(20251202L);
    float[] x = new float[maxRows * shape.values()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) gaussian(random);
    }
    float[] t = new float[maxRows];
    long[] labels = classes > 0 ? new long[maxRows] : null;
    for (int i = 0; i < maxRows; i++) {
      t[i] = (float) random.nextDouble();
      if (labels != null) {
        labels[i] = random.nextInt(classes + 1);
      }
    }
    float[] full = model.forward(shape, x, t, labels);
    int width = full.length / maxRows;
    if (!Arrays.equals(full, model.forward(shape, x, t, labels))
        || !orderFree(model, shape, x, t, labels, full, width)) {
      LOG.warn(
          "{}: a forward pass of {} rows does not repeat bit for bit (or depends on row order);"
              + " padding every pass to {} rows, and results may still vary",
          name,
          maxRows,
          maxRows);
      return maxRows;
    }
    int smallest = maxRows;
    for (int rows = maxRows - 1; rows >= 1; rows--) {
      float[] part =
          model.forward(
              shape,
              Arrays.copyOf(x, rows * shape.values()),
              Arrays.copyOf(t, rows),
              labels == null ? null : Arrays.copyOf(labels, rows));
      if (!Arrays.equals(part, 0, part.length, full, 0, rows * width)) {
        break;
      }
      smallest = rows;
    }
    if (smallest == 1) {
      LOG.info("{}: passes of 1 to {} rows agree bit for bit; no padding needed", name, maxRows);
      return 0;
    }
    LOG.info(
        "{}: passes of {} to {} rows agree bit for bit; smaller passes are padded to {}",
        name,
        smallest,
        maxRows,
        smallest);
    return smallest;
  }

  /** Whether the full pass in reverse row order gives each row the same output. */
  private static boolean orderFree(
      RowForward model,
      ImageShape shape,
      float[] x,
      float[] t,
      long[] labels,
      float[] full,
      int width) {
    int n = t.length;
    int values = shape.values();
    float[] rx = new float[x.length];
    float[] rt = new float[n];
    long[] rl = labels == null ? null : new long[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, i * values, rx, (n - 1 - i) * values, values);
      rt[n - 1 - i] = t[i];
      if (labels != null) {
        rl[n - 1 - i] = labels[i];
      }
    }
    float[] reversed = model.forward(shape, rx, rt, rl);
    for (int i = 0; i < n; i++) {
      if (!Arrays.equals(
          full, i * width, (i + 1) * width, reversed, (n - 1 - i) * width, (n - i) * width)) {
        return false;
      }
    }
    return true;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
