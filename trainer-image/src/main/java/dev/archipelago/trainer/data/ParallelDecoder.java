package dev.archipelago.trainer.data;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Decodes many raw samples at once on a pool of threads; the results come back in the samples'
 * order, so a caller's sequence, skips and cursor are those of decoding one by one. One thread
 * decodes on the caller's.
 */
public final class ParallelDecoder implements AutoCloseable {
  private final SampleDecoder decoder;
  private final ExecutorService pool;

  public ParallelDecoder(SampleDecoder decoder, int threads) {
    this.decoder = decoder;
    this.pool =
        threads > 1 ? Executors.newFixedThreadPool(threads, r -> daemon(r, "decode")) : null;
  }

  public List<SampleDecoder.Result> decodeAll(List<RawSample> raws) {
    if (pool == null || raws.size() == 1) {
      return raws.stream().map(decoder::decode).toList();
    }
    List<CompletableFuture<SampleDecoder.Result>> futures =
        raws.stream()
            .map(raw -> CompletableFuture.supplyAsync(() -> decoder.decode(raw), pool))
            .toList();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  /**
   * Starts decoding {@code raws} on the pool and returns at once (decodes on the caller's thread
   * first when there is no pool), so that a caller can work on the previous batch meanwhile.
   */
  public CompletableFuture<List<SampleDecoder.Result>> decodeAllAsync(List<RawSample> raws) {
    if (pool == null || raws.size() == 1) {
      return CompletableFuture.completedFuture(decodeAll(raws));
    }
    List<CompletableFuture<SampleDecoder.Result>> futures =
        raws.stream()
            .map(raw -> CompletableFuture.supplyAsync(() -> decoder.decode(raw), pool))
            .toList();
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
  }

  static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
