package dev.archipelago.trainer.partition;

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

  @Override
  default void close() {}
}
