package dev.archipelago.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw samples of a few consecutive shards of an epoch's order, pooled, with the order they are
 * drawn in. What was skipped while reading them is kept with them, to be counted when the stream
 * reaches the group (it may be read ahead, on another thread).
 *
 * @param shards how many shards the group spans
 */
record ShardGroup(List<RawSample> samples, int[] order, int shards, SkippedSamples skipped) {

  /** The draw order of a group of {@code n} samples. */
  interface Order {
    int[] of(int n);
  }

  /** Reads the shards {@code shardOrder[start .. start + size)} (fewer at the epoch's end). */
  static ShardGroup load(
      ShardSource source, List<String> names, int[] shardOrder, int start, int size, Order order) {
    int end = Math.min(shardOrder.length, start + size);
    SkippedSamples skipped = new SkippedSamples();
    List<RawSample> samples = new ArrayList<>();
    for (int p = start; p < end; p++) {
      String name = names.get(shardOrder[p]);
      List<RawSample> ofShard = new ArrayList<>();
      try (InputStream in = source.open(name);
          TarSampleReader reader = new TarSampleReader(in, name, skipped)) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          ofShard.add(raw);
        }
      } catch (IOException | UncheckedIOException e) {
        skipped.record(SkipReason.UNREADABLE_SHARD, name, "*", e.toString());
        ofShard.clear();
      }
      samples.addAll(ofShard);
    }
    return new ShardGroup(samples, order.of(samples.size()), end - start, skipped);
  }
}
