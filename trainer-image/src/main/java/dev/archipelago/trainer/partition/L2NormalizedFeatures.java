package dev.archipelago.trainer.partition;

import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import java.util.List;

/**
 * Another extractor's vectors scaled to unit length, so that k-means' squared distance is 2 − 2 ×
 * cosine: the usual geometry for DINOv2 embeddings. They are clustered as they are, not z-scored.
 */
public final class L2NormalizedFeatures implements ImageFeatures {
  private final ImageFeatures inner;

  public L2NormalizedFeatures(ImageFeatures inner) {
    this.inner = inner;
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public float[][] extract(List<Sample> batch) {
    float[][] rows = inner.extract(batch);
    for (float[] row : rows) {
      double norm = 0;
      for (float v : row) {
        norm += (double) v * v;
      }
      // An all-zero vector stays zero rather than becoming NaN.
      float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
      for (int d = 0; d < row.length; d++) {
        row[d] *= scale;
      }
    }
    return rows;
  }

  @Override
  public String describe() {
    return inner.describe() + ", L2-normalised";
  }

  @Override
  public SampleDecoder decoder(DatasetSpec dataset) {
    return inner.decoder(dataset);
  }

  @Override
  public boolean standardize() {
    return false;
  }

  @Override
  public void close() {
    inner.close();
  }
}
