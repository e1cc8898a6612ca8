package dev.archipelago.trainer.data;

/**
 * How a {@link ShuffledSampleStream} reads: how many shards it pools and shuffles together, and how
 * many threads decode a batch. Part of what fixes the sample sequence: a run resumes with the
 * shuffle it started with ({@code shuffleShards} is in the run config's hash); the thread count
 * never changes the sequence.
 *
 * @param shuffleShards shards read and shuffled together; 1 draws a batch from one shard
 * @param decodeThreads threads decoding images; 1 decodes on the training thread
 */
public record LoaderOptions(int shuffleShards, int decodeThreads) {
  /** One shard at a time, decoded on the caller's thread: the first version's loader. */
  public static final LoaderOptions SEQUENTIAL = new LoaderOptions(1, 1);

  public LoaderOptions {
    if (shuffleShards < 1 || decodeThreads < 1) {
      throw new IllegalArgumentException(
          "shuffleShards and decodeThreads must be positive: "
              + shuffleShards
              + ", "
              + decodeThreads);
    }
  }
}
