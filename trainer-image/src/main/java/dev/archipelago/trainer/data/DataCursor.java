package dev.archipelago.trainer.data;

/**
 * Where a {@link ShuffledSampleStream} stands: the next sample is number {@code offset} (in the
 * epoch's shuffled order, skipped samples included) of the {@code shard}-th shard of epoch {@code
 * epoch}'s shard order. Saved in checkpoints; restoring it continues the exact same sequence.
 */
public record DataCursor(long epoch, int shard, int offset) {
  public static final DataCursor START = new DataCursor(0, 0, 0);

  public DataCursor {
    if (epoch < 0 || shard < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "negative data cursor: " + epoch + "/" + shard + "/" + offset);
    }
  }
}
