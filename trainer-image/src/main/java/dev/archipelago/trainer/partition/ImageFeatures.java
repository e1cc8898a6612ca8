package dev.archipelago.trainer.partition;

import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.Sample;
import java.util.List;

/** Maps decoded images to the feature vectors that k-means clusters. */
public interface ImageFeatures extends AutoCloseable {

  /** Length of every feature vector. */
  int dimension();

  /** One feature vector per sample, in order. */
  float[][] extract(List<Sample> batch);

  /** A short name for reports. */
  String describe();

  /** The images this extractor wants: the data set's format unless it has its own input size. */
  default ImageFormat inputFormat(ImageFormat dataset) {
    return dataset;
  }

  /** Whether k-means should z-score each dimension first (not for unit-length features). */
  default boolean standardize() {
    return true;
  }

  @Override
  default void close() {}
}
