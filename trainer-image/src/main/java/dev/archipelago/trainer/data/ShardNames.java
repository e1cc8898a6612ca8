package dev.archipelago.trainer.data;

/** The naming of generated shards: {@code <prefix>-000000.tar}, sorting in writing order. */
public final class ShardNames {
  private ShardNames() {}

  public static String shardName(String prefix, int shardIndex) {
    return String.format("%s-%06d.tar", prefix, shardIndex);
  }

  public static String sampleKey(long sampleIndex) {
    return String.format("%08d", sampleIndex);
  }
}
