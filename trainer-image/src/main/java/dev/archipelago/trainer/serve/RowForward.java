package dev.archipelago.trainer.serve;

/**
 * One forward pass of a model over a batch of images, each row independent of the others: an
 * expert's raw velocity (no guidance) or the router's probabilities.
 */
@FunctionalInterface
public interface RowForward {
  /**
   * @param x rows × shape values, flat
   * @param t one time per row
   * @param labels one class per row, or null for unconditional models
   * @return the same number of outputs for every row, row after row
   */
  float[] forward(ImageShape shape, float[] x, float[] t, long[] labels);
}
