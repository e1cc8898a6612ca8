package dev.archipelago.trainer.partition;

import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import java.util.List;

/** Maps decoded images to the feature vectors that k-means clusters. */
public interface ImageFeatures extends AutoCloseable {

  /** Length of every feature vector. */
  int dimension();

  /** One feature vector per sample, in order. */
  float[][] extract(List<Sample> batch);

  /** A short name for reports. */
  String describe();

  /**
   * How the partition scan decodes samples for this extractor: by default as the trainers do
   * (images, or latents for a latent data set); an image encoder wants images at its own input
   * size, precomputed embeddings want their vector.
   */
  default SampleDecoder decoder(DatasetSpec dataset) {
    return SampleDecoder.forDataset(dataset);
  }

  /** Whether k-means should z-score each dimension first (not for unit-length features). */
  default boolean standardize() {
    return true;
  }

  @Override
  default void close() {}
}
