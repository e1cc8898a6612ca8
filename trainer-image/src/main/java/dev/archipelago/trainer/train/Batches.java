package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.archipelago.trainer.data.Sample;
import java.util.List;

/** Packs decoded samples into tensors. */
public final class Batches {
  private Batches() {}

  /** Images as [B, C, S, S] in [−1, 1]. */
  public static NDArray images(NDManager manager, List<Sample> batch) {
    int size = batch.get(0).imageSize();
    int channels = batch.get(0).channels();
    int perSample = channels * size * size;
    float[] packed = new float[batch.size() * perSample];
    for (int i = 0; i < batch.size(); i++) {
      Sample s = batch.get(i);
      if (s.imageSize() != size || s.channels() != channels) {
        throw new IllegalArgumentException("mixed image formats in one batch");
      }
      System.arraycopy(s.pixels(), 0, packed, i * perSample, perSample);
    }
    return manager.create(packed, new Shape(batch.size(), channels, size, size));
  }

  /** Class labels; every sample must have one. */
  public static int[] labels(List<Sample> batch) {
    int[] labels = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Sample s = batch.get(i);
      labels[i] =
          s.label()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "sample "
                              + s.key()
                              + " of "
                              + s.shard()
                              + " has no label (spec.dataset.labelKey) but the model is class-conditional"));
    }
    return labels;
  }
}
