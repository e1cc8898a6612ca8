package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.archipelago.trainer.data.Sample;
import java.util.List;

/** Packs decoded samples into tensors. */
public final class Batches {
  private Batches() {}

  /** Images as [B, 3, S, S] in [−1, 1]. */
  public static NDArray images(NDManager manager, List<Sample> batch) {
    int size = batch.get(0).imageSize();
    int perSample = Sample.CHANNELS * size * size;
    float[] packed = new float[batch.size() * perSample];
    for (int i = 0; i < batch.size(); i++) {
      Sample s = batch.get(i);
      if (s.imageSize() != size) {
        throw new IllegalArgumentException("mixed image sizes in one batch");
      }
      System.arraycopy(s.pixels(), 0, packed, i * perSample, perSample);
    }
    return manager.create(packed, new Shape(batch.size(), Sample.CHANNELS, size, size));
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
                          "sample " + s.key() + " has no .cls label but the model is conditional"));
    }
    return labels;
  }
}
