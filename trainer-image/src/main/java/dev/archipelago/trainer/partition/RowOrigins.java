package dev.archipelago.trainer.partition;

import java.util.Arrays;
import java.util.List;

/**
 * Where each feature row came from, in 4 bytes a row: rows are in scan order, so a shard's rows are
 * contiguous and a count per shard places them; within a shard a row is matched again by the hash
 * of its sample key. (Keys as strings would take about 60 bytes a row, 6 GB of heap at 100M
 * samples.)
 */
final class RowOrigins {
  private final List<String> shards;
  private final int[] rowsOfShard;
  private int[] keyHashes = new int[1 << 12];
  private int rows;

  /**
   * @param shards every shard of the scan, in scan order
   */
  RowOrigins(List<String> shards) {
    this.shards = List.copyOf(shards);
    this.rowsOfShard = new int[shards.size()];
  }

  /**
   * Appends the next row: sample {@code key} of the {@code shard}-th shard (not before the last).
   */
  void add(int shard, String key) {
    if (rows == keyHashes.length) {
      keyHashes = Arrays.copyOf(keyHashes, keyHashes.length * 2);
    }
    keyHashes[rows++] = key.hashCode();
    rowsOfShard[shard]++;
  }

  int rows() {
    return rows;
  }

  List<String> shards() {
    return shards;
  }

  /** Rows of the {@code shard}-th shard. */
  int rowsOf(int shard) {
    return rowsOfShard[shard];
  }

  /** Whether {@code row} could be sample {@code key}: the same key hash. */
  boolean matches(int row, String key) {
    return keyHashes[row] == key.hashCode();
  }
}
