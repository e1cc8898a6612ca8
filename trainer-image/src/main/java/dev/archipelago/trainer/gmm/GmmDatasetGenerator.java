package dev.archipelago.trainer.gmm;

import dev.archipelago.trainer.data.NpyArray;
import dev.archipelago.trainer.data.ShardNames;
import dev.archipelago.trainer.data.ShardSink;
import dev.archipelago.trainer.data.WebDatasetShardWriter;
import dev.archipelago.trainer.random.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes draws of a {@link GaussianMixture} as a latent WebDataset: per sample the draw as a
 * float32 {@code .npy} of shape [C, S, S] under the run's latent part name, and the component it
 * came from in {@code .cls} (for oracle partitions and evaluation). Sample i depends only on the
 * seed and i.
 */
public final class GmmDatasetGenerator {
  /** Prefix of the shard names this generator writes. */
  public static final String SHARD_PREFIX = "gmm";

  private static final long STREAM = 0x6A11_0000L;

  private final GaussianMixture mixture;
  private final int channels;
  private final int size;

  public GmmDatasetGenerator(GaussianMixture mixture, int channels, int size) {
    if (channels * size * size != mixture.dimension()) {
      throw new IllegalArgumentException(
          "latents of "
              + channels
              + "x"
              + size
              + "x"
              + size
              + " cannot hold the mixture's "
              + mixture.dimension()
              + " dimensions");
    }
    this.mixture = mixture;
    this.channels = channels;
    this.size = size;
  }

  /** Writes {@code count} samples; returns how many each component drew. */
  public int[] generate(long count, long seed, int shardSize, String latentPart, ShardSink sink)
      throws IOException {
    int[] perComponent = new int[mixture.components()];
    int shards = 0;
    for (long first = 0; first < count; first += shardSize) {
      long end = Math.min(count, first + shardSize);
      try (WebDatasetShardWriter writer =
          new WebDatasetShardWriter(sink.create(ShardNames.shardName(SHARD_PREFIX, shards)))) {
        for (long i = first; i < end; i++) {
          GaussianMixture.Draws draw = mixture.sample(1, Seeds.random(seed, STREAM, i));
          float[] values = new float[mixture.dimension()];
          for (int j = 0; j < values.length; j++) {
            values[j] = (float) draw.x()[0][j];
          }
          Map<String, byte[]> parts = new LinkedHashMap<>();
          parts.put(latentPart, new NpyArray(new int[] {channels, size, size}, values).toBytes());
          parts.put(
              "cls", Integer.toString(draw.component()[0]).getBytes(StandardCharsets.US_ASCII));
          writer.write(ShardNames.sampleKey(i), parts);
          perComponent[draw.component()[0]]++;
        }
      }
      shards++;
    }
    return perComponent;
  }
}
