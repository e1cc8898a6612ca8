package dev.archipelago.trainer.data;

/**
 * Time the training thread spent in {@link ShuffledSampleStream#nextBatch}: waiting for shards,
 * parsing them and decoding. Against the step time it is the share of training lost to data. Read
 * and written by the training thread only.
 */
public final class LoaderClock {
  private long nanos;

  void add(long elapsedNanos) {
    nanos += elapsedNanos;
  }

  public double seconds() {
    return nanos / 1e9;
  }
}
