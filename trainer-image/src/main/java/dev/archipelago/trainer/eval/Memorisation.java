package dev.archipelago.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Nearest-neighbour memorisation against the training set, in pixel space: an image counts as a
 * copy when its nearest training image is much closer than the second nearest (d₁ &lt; d₂ / 3, the
 * relative test of Carlini et al. 2023, which a merely typical image does not pass). The same rate
 * of held-out real images is the level a generator that copies nothing would show.
 */
public final class Memorisation implements AutoCloseable {
  /** d₁ / d₂ below this is a copy. */
  public static final double COPY_RATIO = 1.0 / 3;

  private static final int CHUNK = 256;

  private final NDManager manager;
  private final NDArray training;
  private final NDArray trainingNorms;

  /**
   * @param training the run's training images, CHW each
   */
  public Memorisation(float[][] training, NDManager parent) {
    if (training.length < 2) {
      throw new IllegalArgumentException("memorisation needs at least 2 training images");
    }
    this.manager = parent.newSubManager();
    this.training =
        ImageRows.tensor(training, 0, training.length, new Shape(training[0].length), manager);
    this.trainingNorms = this.training.square().sum(new int[] {1});
  }

  /**
   * @param copyRate the share of images that are copies
   * @param medianNearest the median distance to the nearest training image (RMS per value)
   */
  public record Result(double copyRate, double medianNearest) {}

  public Result of(float[][] images) {
    int copies = 0;
    double[] nearest = new double[images.length];
    int values = images[0].length;
    for (int first = 0; first < images.length; first += CHUNK) {
      int end = Math.min(images.length, first + CHUNK);
      try (NDManager scope = manager.newSubManager()) {
        NDArray queries = ImageRows.tensor(images, first, end, new Shape(values), scope);
        // |q − x|² = |q|² + |x|² − 2 q·x, for every pair at once.
        NDArray squared =
            queries
                .square()
                .sum(new int[] {1}, true)
                .add(trainingNorms.expandDims(0))
                .sub(queries.matMul(training.transpose()).mul(2));
        float[] distances = squared.toFloatArray();
        int columns = (int) training.getShape().get(0);
        for (int q = 0; q < end - first; q++) {
          double[] two = twoSmallest(distances, q * columns, columns);
          nearest[first + q] = Math.sqrt(two[0] / values);
          if (Math.sqrt(two[0]) < COPY_RATIO * Math.sqrt(two[1])) {
            copies++;
          }
        }
      }
    }
    Arrays.sort(nearest);
    return new Result(copies / (double) images.length, nearest[nearest.length / 2]);
  }

  private static double[] twoSmallest(float[] row, int offset, int length) {
    double best = Double.POSITIVE_INFINITY;
    double second = Double.POSITIVE_INFINITY;
    for (int i = offset; i < offset + length; i++) {
      // Rounding can leave a tiny negative square for an exact copy.
      double d = Math.max(0, row[i]);
      if (d < best) {
        second = best;
        best = d;
      } else if (d < second) {
        second = d;
      }
    }
    return new double[] {best, second};
  }

  @Override
  public void close() {
    manager.close();
  }
}
