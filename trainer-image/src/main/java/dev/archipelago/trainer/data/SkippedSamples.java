package dev.archipelago.trainer.data;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts skipped samples by reason; progress reports the total. Not thread-safe. */
public final class SkippedSamples {
  private static final Logger LOG = LoggerFactory.getLogger(SkippedSamples.class);
  // Enough to diagnose a bad data set without flooding the log with one line per sample.
  private static final long LOGGED_IN_FULL = 20;

  private final EnumMap<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);
  private long total;

  public void record(SkipReason reason, String shard, String key, String detail) {
    counts.merge(reason, 1L, Long::sum);
    total++;
    if (total <= LOGGED_IN_FULL) {
      LOG.warn("skipped sample {} in shard {}: {} ({})", key, shard, reason, detail);
    } else {
      LOG.debug("skipped sample {} in shard {}: {} ({})", key, shard, reason, detail);
    }
  }

  /** Adds {@code n} skips of {@code reason} counted elsewhere (an earlier attempt's, say). */
  public void add(SkipReason reason, long n) {
    counts.merge(reason, n, Long::sum);
    total += n;
  }

  /** Adds another counter's counts (already logged where they were recorded). */
  public void addAll(SkippedSamples other) {
    other.counts.forEach((reason, n) -> counts.merge(reason, n, Long::sum));
    total += other.total;
  }

  public long total() {
    return total;
  }

  public long count(SkipReason reason) {
    return counts.getOrDefault(reason, 0L);
  }

  /** A copy of the counts, for progress reports. */
  public Map<SkipReason, Long> byReason() {
    return new EnumMap<>(counts);
  }
}
