package dev.archipelago.trainer.data;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An endless stream of decoded samples over a {@link ShardSource}, epoch after epoch, in the order
 * {@link SampleSequence} defines: shards shuffled per epoch and pooled {@link
 * LoaderOptions#shuffleShards} at a time, so a batch mixes several shards even when shards were
 * written in class order. A {@link DataCursor} restores the sequence exactly.
 *
 * <p>While the caller trains on a batch, the next one (of the same size) is read and decoded on a
 * background thread; its samples count, for the cursor and the skipped samples, only once handed
 * out, so a checkpoint taken between batches resumes exactly. Memory: the raw bytes of two groups
 * of shards and two batches of decoded samples. Undecodable samples are skipped and counted in
 * {@link #skipped()}.
 */
public final class ShuffledSampleStream implements AutoCloseable {
  private final SampleSequence sequence;
  private final ExecutorService ahead =
      Executors.newSingleThreadExecutor(r -> ParallelDecoder.daemon(r, "batch-ahead"));
  private final Deque<SampleSequence.Entry> ready = new ArrayDeque<>();
  private final SkippedSamples skipped = new SkippedSamples();
  private final LoaderClock clock = new LoaderClock();
  private CompletableFuture<List<SampleSequence.Entry>> next;
  private DataCursor cursor;

  /** A stream with one shard at a time, decoding on one thread, labels from .cls. */
  public ShuffledSampleStream(
      ShardSource source, ImageFormat format, long seed, boolean shuffle, DataCursor start)
      throws IOException {
    this(
        source,
        new SampleDecoder(format, "cls"),
        LoaderOptions.SEQUENTIAL,
        seed,
        shuffle,
        start,
        raw -> true);
  }

  /**
   * A stream over the samples {@code include} accepts (for example the router's training samples,
   * not the held-out ones). Samples it rejects are passed over before decoding and are not counted
   * as skipped; the cursor still counts them, so it means the same with or without a filter.
   */
  public ShuffledSampleStream(
      ShardSource source,
      SampleDecoder decoder,
      LoaderOptions options,
      long seed,
      boolean shuffle,
      DataCursor start,
      Predicate<RawSample> include)
      throws IOException {
    this.sequence = new SampleSequence(source, decoder, options, seed, shuffle, start, include);
    this.cursor = start;
  }

  /** The position of the next sample handed out; save it to resume here. */
  public DataCursor cursor() {
    return cursor;
  }

  /** Samples skipped before the ones handed out so far. */
  public SkippedSamples skipped() {
    return skipped;
  }

  /** The shard names this stream reads. */
  public List<String> shards() {
    return sequence.shards();
  }

  /** Time the caller spent waiting in {@link #nextBatch}: the training time lost to data. */
  public LoaderClock clock() {
    return clock;
  }

  /** The next decodable sample; crosses shard and epoch boundaries as needed. */
  public Sample next() {
    return nextBatch(1).get(0);
  }

  /** The next {@code size} decodable samples; then starts reading the batch after them. */
  public List<Sample> nextBatch(int size) {
    long started = System.nanoTime();
    if (ready.size() < size && next != null) {
      ready.addAll(join(next));
      next = null;
    }
    if (ready.size() < size) {
      ready.addAll(sequence.nextBatch(size - ready.size()));
    }
    List<Sample> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      SampleSequence.Entry entry = ready.removeFirst();
      batch.add(entry.sample());
      skipped.addAll(entry.skippedBefore());
      cursor = entry.after();
    }
    clock.add(System.nanoTime() - started);
    if (next == null) {
      next = CompletableFuture.supplyAsync(() -> sequence.nextBatch(size), ahead);
    }
    return batch;
  }

  private static List<SampleSequence.Entry> join(CompletableFuture<List<SampleSequence.Entry>> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      // The read-ahead met what a direct read would have (no decodable sample, a broken store).
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Override
  public void close() {
    ahead.shutdownNow();
    sequence.close();
  }
}
