package dev.archipelago.trainer.job;

import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.random.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The router's held-out samples: a fixed 1 in {@value #ONE_IN} of the data set, chosen by a hash of
 * (seed, shard, key) so that trainer and evaluation agree without a list. The router never trains
 * on them; up to {@code max} of them, from the first shards, are kept for evaluation.
 */
final class RouterHoldout {
  static final int ONE_IN = 20;
  private static final long HOLDOUT_STREAM = 31;

  private final long seed;

  RouterHoldout(long seed) {
    this.seed = seed;
  }

  boolean isHeldOut(String shard, String key) {
    long h = Seeds.derive(seed, HOLDOUT_STREAM, hash(shard), hash(key));
    return Math.floorMod(h, ONE_IN) == 0;
  }

  /** Up to {@code max} decodable held-out samples, reading shards in the source's order. */
  List<Sample> load(ShardSource source, SampleDecoder decoder, int max) throws IOException {
    SkippedSamples skipped = new SkippedSamples();
    List<Sample> samples = new ArrayList<>();
    for (String shard : source.listShards()) {
      try (InputStream in = source.open(shard);
          TarSampleReader reader = new TarSampleReader(in, shard, skipped)) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          if (isHeldOut(shard, raw.key())) {
            SampleDecoder.Result result = decoder.decode(raw);
            if (result.sample() != null) {
              samples.add(result.sample());
              if (samples.size() == max) {
                return samples;
              }
            }
          }
        }
      }
    }
    return samples;
  }

  private static long hash(String s) {
    long h = 1125899906842597L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return h;
  }
}
