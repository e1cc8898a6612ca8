package dev.archipelago.trainer.serve;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The one thread that runs the models, in arrival order. PyTorch builds an OpenMP thread team per
 * calling thread: running every forward pass on the same thread keeps one warm team instead of one
 * per HTTP handler thread, and one request at a time already uses every intra-op thread.
 */
final class ModelThread implements AutoCloseable {
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "model");
            t.setDaemon(true);
            return t;
          });

  /** Runs {@code work} on the model thread and waits for it; its exceptions come through. */
  <T> T run(Supplier<T> work) {
    return Futures.await(thread.submit(work::get));
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
