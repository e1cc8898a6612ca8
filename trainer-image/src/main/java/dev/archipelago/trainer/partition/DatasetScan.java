package dev.archipelago.trainer.partition;

import dev.archipelago.trainer.data.ParallelDecoder;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkipReason;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One pass over a data set in a fixed order (shards sorted by name, samples in tar order), decoding
 * the samples (on a pool of threads, results in order) and handing them on in batches. Unreadable
 * samples are skipped and counted. Holds one batch of decoded samples at a time (the tar is
 * streamed).
 */
public final class DatasetScan {
  private final ShardSource source;
  private final SampleDecoder decoder;
  private final int batchSize;
  private final int threads;
  private final SkippedSamples skipped = new SkippedSamples();

  public DatasetScan(ShardSource source, SampleDecoder decoder, int batchSize) {
    this(source, decoder, batchSize, 1);
  }

  /**
   * @param threads threads decoding images; the batches and skips are those of one thread
   */
  public DatasetScan(ShardSource source, SampleDecoder decoder, int batchSize, int threads) {
    this.threads = threads;
    this.source = source;
    this.decoder = decoder;
    this.batchSize = batchSize;
  }

  /** Receives decoded samples in scan order. */
  public interface BatchConsumer {
    void accept(List<Sample> batch) throws IOException;
  }

  public void run(BatchConsumer consumer) throws IOException {
    List<String> shards = source.listShards();
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no *.tar shards in " + source.describe());
    }
    run(shards, consumer);
  }

  /**
   * Scans only {@code shards}, in that order (a chunk of the data set). The next batch decodes on
   * the pool while the consumer works on this one (the feature encoder, on the GPU where there is
   * one), so at most two batches of raw samples are held.
   */
  public void run(List<String> shards, BatchConsumer consumer) throws IOException {
    Batcher batcher = new Batcher(consumer);
    try (ParallelDecoder decoders = new ParallelDecoder(decoder, threads)) {
      for (String shard : shards) {
        List<RawSample> raws = new ArrayList<>(batchSize);
        try (InputStream in = source.open(shard);
            TarSampleReader reader = new TarSampleReader(in, shard, skipped)) {
          for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
            raws.add(raw);
            if (raws.size() == batchSize) {
              batcher.decodeNext(decoders, raws);
              raws = new ArrayList<>(batchSize);
            }
          }
        } catch (UncheckedIOException e) {
          skipped.record(SkipReason.UNREADABLE_SHARD, shard, "*", e.toString());
        }
        batcher.decodeNext(decoders, raws);
      }
      batcher.finish();
    }
  }

  /** Hands decoded samples on in full batches, one decode in flight behind the consumer. */
  private final class Batcher {
    private final BatchConsumer consumer;
    private List<Sample> batch = new ArrayList<>(batchSize);
    private List<RawSample> pendingRaws;
    private CompletableFuture<List<SampleDecoder.Result>> pending;

    Batcher(BatchConsumer consumer) {
      this.consumer = consumer;
    }

    /** Starts decoding {@code raws}, then hands on what the previous decode gave. */
    void decodeNext(ParallelDecoder decoders, List<RawSample> raws) throws IOException {
      if (raws.isEmpty()) {
        return;
      }
      CompletableFuture<List<SampleDecoder.Result>> next = decoders.decodeAllAsync(raws);
      drainPending();
      pending = next;
      pendingRaws = raws;
    }

    void finish() throws IOException {
      drainPending();
      if (!batch.isEmpty()) {
        consumer.accept(batch);
      }
    }

    private void drainPending() throws IOException {
      if (pending == null) {
        return;
      }
      List<SampleDecoder.Result> results = pending.join();
      for (int i = 0; i < pendingRaws.size(); i++) {
        SampleDecoder.Result result = results.get(i);
        if (result.sample() == null) {
          RawSample raw = pendingRaws.get(i);
          skipped.record(result.skipReason(), raw.shard(), raw.key(), result.detail());
          continue;
        }
        batch.add(result.sample());
        if (batch.size() == batchSize) {
          consumer.accept(batch);
          batch = new ArrayList<>(batchSize);
        }
      }
      pending = null;
      pendingRaws = null;
    }
  }

  public SkippedSamples skipped() {
    return skipped;
  }
}
