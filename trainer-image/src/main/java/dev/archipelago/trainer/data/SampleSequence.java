package dev.archipelago.trainer.data;

import dev.archipelago.trainer.random.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The sample sequence behind a {@link ShuffledSampleStream}, one thread at a time: each epoch's
 * shard order (from seed and epoch) read {@link LoaderOptions#shuffleShards} shards at a time, the
 * samples of a group pooled and drawn in an order from (seed, epoch, first shard). A pure function
 * of the seed and the options; a {@link DataCursor} restores it exactly. The next group is read on
 * a background thread, and a batch's images are decoded on {@link LoaderOptions#decodeThreads}.
 */
final class SampleSequence implements AutoCloseable {
  // Distinct first coordinates keep the two kinds of permutation independent.
  private static final long SHARD_ORDER_STREAM = 1;
  private static final long SAMPLE_ORDER_STREAM = 2;

  private final ShardSource source;
  private final long seed;
  private final boolean shuffle;
  private final Predicate<RawSample> include;
  private final LoaderOptions options;
  private final List<String> shards;
  // Skips since the last sample handed out; they travel with the next one.
  private SkippedSamples pending = new SkippedSamples();
  private final ExecutorService prefetch;
  private final ParallelDecoder decoders;

  private long epoch;
  private int position;
  private int offset;
  private int[] shardOrder;
  private ShardGroup group;
  private boolean groupYielded;
  private CompletableFuture<ShardGroup> next;
  private long nextEpoch;
  private int nextPosition;
  // Shards passed since the last group with a decoded sample: all of them means there is none.
  private final Set<Integer> withoutSample = new HashSet<>();

  /** One decoded sample, the cursor just after it, and what was skipped since the one before. */
  record Entry(Sample sample, DataCursor after, SkippedSamples skippedBefore) {}

  SampleSequence(
      ShardSource source,
      SampleDecoder decoder,
      LoaderOptions options,
      long seed,
      boolean shuffle,
      DataCursor start,
      Predicate<RawSample> include)
      throws IOException {
    this.include = include;
    this.source = source;
    this.options = options;
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
    this.position = start.shard();
    this.offset = start.offset();
    this.shardOrder = shardOrder(epoch);
    this.prefetch =
        Executors.newSingleThreadExecutor(r -> ParallelDecoder.daemon(r, "shard-prefetch"));
    this.decoders = new ParallelDecoder(decoder, options.decodeThreads());
  }

  /** The shard names, in the source's order. */
  List<String> shards() {
    return shards;
  }

  /**
   * The next {@code size} decodable samples. The raw samples are taken in stream order, exactly as
   * many as are still needed, and decoded in parallel; so the samples, the skips and the cursors
   * are those of decoding one by one.
   */
  List<Entry> nextBatch(int size) {
    List<Entry> batch = new ArrayList<>(size);
    while (batch.size() < size) {
      List<DataCursor> after = new ArrayList<>();
      List<RawSample> raws = nextIncluded(size - batch.size(), after);
      List<SampleDecoder.Result> results = decoders.decodeAll(raws);
      for (int i = 0; i < raws.size(); i++) {
        SampleDecoder.Result result = results.get(i);
        if (result.sample() != null) {
          batch.add(new Entry(result.sample(), after.get(i), pending));
          pending = new SkippedSamples();
          groupYielded = true;
        } else {
          RawSample raw = raws.get(i);
          pending.record(result.skipReason(), raw.shard(), raw.key(), result.detail());
        }
      }
    }
    return batch;
  }

  /**
   * Up to {@code n} raw samples the filter accepts, in stream order, all from the current group:
   * they are decoded before the stream moves past it, so it knows whether the group had a sample.
   */
  private List<RawSample> nextIncluded(int n, List<DataCursor> after) {
    List<RawSample> raws = new ArrayList<>(n);
    while (raws.isEmpty()) {
      if (group == null) {
        group = takeGroup();
        groupYielded = false;
      }
      while (raws.size() < n && offset < group.samples().size()) {
        RawSample raw = group.samples().get(group.order()[offset]);
        offset++;
        if (include.test(raw)) {
          raws.add(raw);
          after.add(new DataCursor(epoch, position, offset));
        }
      }
      if (raws.isEmpty()) {
        advanceGroup();
      }
    }
    return raws;
  }

  private void advanceGroup() {
    if (groupYielded) {
      withoutSample.clear();
    } else {
      // A set, not a count: a cluster found in one shard of four passes the other three twice
      // across an epoch boundary, and that is no reason to give up.
      for (int i = 0; i < group.shards(); i++) {
        withoutSample.add(shardOrder[position + i]);
      }
      if (withoutSample.size() >= shards.size()) {
        throw new IllegalStateException(
            "a full pass over " + source.describe() + " found no decodable sample");
      }
    }
    position += group.shards();
    offset = 0;
    group = null;
    if (position >= shards.size()) {
      position = 0;
      epoch++;
      shardOrder = shardOrder(epoch);
    }
  }

  /** The group at the cursor: prefetched if it was, else read now; then prefetch the next. */
  private ShardGroup takeGroup() {
    ShardGroup taken;
    if (next != null && nextEpoch == epoch && nextPosition == position) {
      taken = next.join();
    } else {
      if (next != null) {
        next.cancel(false);
      }
      taken =
          ShardGroup.load(
              source, shards, shardOrder, position, options.shuffleShards(), sampleOrder());
    }
    // Skips met while reading count when their group is reached, as without prefetching.
    pending.addAll(taken.skipped());
    prefetchAfter(taken);
    return taken;
  }

  private void prefetchAfter(ShardGroup current) {
    long e = epoch;
    int p = position + current.shards();
    int[] order = shardOrder;
    if (p >= shards.size()) {
      e++;
      p = 0;
      order = shardOrder(e);
    }
    nextEpoch = e;
    nextPosition = p;
    int[] nextOrder = order;
    int start = p;
    long forEpoch = e;
    next =
        CompletableFuture.supplyAsync(
            () ->
                ShardGroup.load(
                    source,
                    shards,
                    nextOrder,
                    start,
                    options.shuffleShards(),
                    sampleOrder(forEpoch, nextOrder[start])),
            prefetch);
  }

  private ShardGroup.Order sampleOrder() {
    return sampleOrder(epoch, shardOrder[position]);
  }

  /** The draw order of a group, from (seed, epoch, its first shard); identity without shuffle. */
  private ShardGroup.Order sampleOrder(long forEpoch, int firstShard) {
    return n ->
        shuffle
            ? Seeds.permutation(n, Seeds.random(seed, SAMPLE_ORDER_STREAM, forEpoch, firstShard))
            : identity(n);
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

  @Override
  public void close() {
    prefetch.shutdownNow();
    decoders.close();
  }
}
