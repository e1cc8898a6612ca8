package dev.archipelago.trainer.partition;

import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Precomputed embeddings (for example DINOv2 vectors computed elsewhere): every sample's 1-D {@code
 * .npy} part {@code key}, used as it is. The width is that of the data set's first readable sample;
 * a sample of another width fails the partition, since k-means cannot mix them.
 */
public final class EmbeddingFeatures implements ImageFeatures {
  private final String key;
  private final int dimension;

  public EmbeddingFeatures(String key, int dimension) {
    this.key = key;
    this.dimension = dimension;
  }

  /** Reads the width from the first sample of {@code data} that has a readable {@code key}. */
  public static EmbeddingFeatures probe(ShardSource data, String key) throws IOException {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("features.embeddingKey is required for embedding");
    }
    SampleDecoder decoder = SampleDecoder.vectors(key);
    SkippedSamples ignored = new SkippedSamples();
    for (String shard : data.listShards()) {
      try (InputStream in = data.open(shard);
          TarSampleReader reader = new TarSampleReader(in, shard, ignored)) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          Sample sample = decoder.decode(raw).sample();
          if (sample != null) {
            return new EmbeddingFeatures(key, sample.pixels().length);
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "no sample of " + data.describe() + " has a readable 1-D ." + key + " embedding");
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[][] extract(List<Sample> batch) {
    float[][] rows = new float[batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      float[] vector = batch.get(i).pixels();
      if (vector.length != dimension) {
        throw new IllegalArgumentException(
            "sample "
                + batch.get(i).key()
                + " of "
                + batch.get(i).shard()
                + " has a ."
                + key
                + " of "
                + vector.length
                + " values; earlier samples have "
                + dimension);
      }
      rows[i] = vector;
    }
    return rows;
  }

  @Override
  public SampleDecoder decoder(DatasetSpec dataset) {
    return SampleDecoder.vectors(key);
  }

  @Override
  public String describe() {
    return "embedding ." + key;
  }
}
