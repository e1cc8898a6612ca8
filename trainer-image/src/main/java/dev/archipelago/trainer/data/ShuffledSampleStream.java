package dev.archipelago.trainer.data;

import dev.archipelago.trainer.random.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An endless stream of decoded samples over a {@link ShardSource}, epoch after epoch.
 *
 * <p>Each epoch visits the shards in an order drawn from (seed, epoch) and each shard's samples in
 * an order drawn from (seed, epoch, shard), so the sequence is a pure function of the seed and a
 * {@link DataCursor} restores it exactly. Only the current shard's raw bytes are held in memory:
 * memory is bounded by the shard size, not the data set. Undecodable samples are skipped and
 * counted in {@link #skipped()}.
 */
public final class ShuffledSampleStream {
  // Distinct first coordinates keep the two kinds of permutation independent.
  private static final long SHARD_ORDER_STREAM = 1;
  private static final long SAMPLE_ORDER_STREAM = 2;

  private final ShardSource source;
  private final SampleDecoder decoder;
  private final long seed;
  private final boolean shuffle;
  private final Predicate<RawSample> include;
  private final List<String> shards;
  private final SkippedSamples skipped = new SkippedSamples();

  private long epoch;
  private int shardPosition;
  private int offset;
  private int[] shardOrder;
  private List<RawSample> shardSamples;
  private int[] sampleOrder;
  private int shardsWithoutSample;

  public ShuffledSampleStream(
      ShardSource source, ImageFormat format, long seed, boolean shuffle, DataCursor start)
      throws IOException {
    this(source, format, seed, shuffle, start, raw -> true);
  }

  /**
   * A stream over the samples {@code include} accepts (for example one expert's cluster). Samples
   * it rejects are passed over before decoding and are not counted as skipped; the cursor still
   * counts them, so it means the same with or without a filter.
   */
  public ShuffledSampleStream(
      ShardSource source,
      ImageFormat format,
      long seed,
      boolean shuffle,
      DataCursor start,
      Predicate<RawSample> include)
      throws IOException {
    this.include = include;
    this.source = source;
    this.decoder = new SampleDecoder(format);
    this.seed = seed;
    this.shuffle = shuffle;
    this.shards = List.copyOf(source.listShards());
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no *.tar shards in " + source.describe());
    }
    if (start.shard() >= shards.size()) {
      throw new IllegalArgumentException(
          "cursor "
              + start
              + " points past the "
              + shards.size()
              + " shards of "
              + source.describe());
    }
    this.epoch = start.epoch();
    this.shardPosition = start.shard();
    this.offset = start.offset();
    this.shardOrder = shardOrder(epoch);
  }

  /** The position of the next sample; save it to resume here. */
  public DataCursor cursor() {
    return new DataCursor(epoch, shardPosition, offset);
  }

  /** Samples skipped so far by this stream. */
  public SkippedSamples skipped() {
    return skipped;
  }

  /** The shard names this stream reads, in sorted order. */
  public List<String> shards() {
    return shards;
  }

  /** The next decodable sample; crosses shard and epoch boundaries as needed. */
  public Sample next() {
    while (true) {
      if (shardSamples == null) {
        loadCurrentShard();
      }
      if (offset >= shardSamples.size()) {
        advanceShard();
        continue;
      }
      RawSample raw = shardSamples.get(sampleOrder[offset]);
      offset++;
      if (!include.test(raw)) {
        continue;
      }
      SampleDecoder.Result result = decoder.decode(raw);
      if (result.sample() != null) {
        shardsWithoutSample = 0;
        return result.sample();
      }
      skipped.record(result.skipReason(), raw.shard(), raw.key(), result.detail());
    }
  }

  /** The next {@code size} samples. */
  public List<Sample> nextBatch(int size) {
    List<Sample> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(next());
    }
    return batch;
  }

  private void advanceShard() {
    shardsWithoutSample++;
    if (shardsWithoutSample > shards.size()) {
      throw new IllegalStateException(
          "a full pass over " + source.describe() + " found no decodable sample");
    }
    shardSamples = null;
    offset = 0;
    shardPosition++;
    if (shardPosition == shards.size()) {
      shardPosition = 0;
      epoch++;
      shardOrder = shardOrder(epoch);
    }
  }

  private void loadCurrentShard() {
    int shardIndex = shardOrder[shardPosition];
    String name = shards.get(shardIndex);
    List<RawSample> samples = new ArrayList<>();
    try (InputStream in = source.open(name);
        TarSampleReader reader = new TarSampleReader(in, name, skipped)) {
      for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
        samples.add(raw);
      }
    } catch (IOException | UncheckedIOException e) {
      skipped.record(SkipReason.UNREADABLE_SHARD, name, "*", e.toString());
      samples.clear();
    }
    shardSamples = samples;
    sampleOrder =
        shuffle
            ? Seeds.permutation(
                samples.size(), Seeds.random(seed, SAMPLE_ORDER_STREAM, epoch, shardIndex))
            : identity(samples.size());
  }

  private int[] shardOrder(long forEpoch) {
    return shuffle
        ? Seeds.permutation(shards.size(), Seeds.random(seed, SHARD_ORDER_STREAM, forEpoch))
        : identity(shards.size());
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
