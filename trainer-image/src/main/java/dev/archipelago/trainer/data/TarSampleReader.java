package dev.archipelago.trainer.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams one WebDataset shard, grouping consecutive tar entries with the same key into a {@link
 * RawSample}. A broken archive ends the shard early: the sample being read is recorded as skipped
 * and the samples before it are kept.
 */
public final class TarSampleReader implements Closeable {
  /** Larger parts are skipped, not read: one bad entry must not exhaust the heap. */
  public static final long MAX_PART_BYTES = 64L << 20;

  private final TarArchiveInputStream tar;
  private final String shard;
  private final SkippedSamples skipped;

  private String pendingKey;
  private Map<String, byte[]> pendingParts;
  private boolean pendingOversized;
  private boolean finished;

  public TarSampleReader(InputStream in, String shard, SkippedSamples skipped) {
    this.tar = new TarArchiveInputStream(in);
    this.shard = shard;
    this.skipped = skipped;
  }

  /** The next complete sample, or {@code null} at the end of the shard. */
  public RawSample next() {
    while (!finished) {
      TarArchiveEntry entry = null;
      byte[] bytes = null;
      try {
        entry = tar.getNextEntry();
        if (entry != null && entry.isFile() && entry.getSize() <= MAX_PART_BYTES) {
          bytes = tar.readAllBytes();
          if (bytes.length != entry.getSize()) {
            throw new IOException("entry " + entry.getName() + " ended early");
          }
        }
      } catch (IOException | RuntimeException e) {
        // commons-compress reports a truncated or garbled archive as IOException (or, for some
        // malformed headers, IllegalArgumentException): the rest of the shard is unreadable.
        finished = true;
        return onBrokenArchive(entry, e);
      }
      if (entry == null) {
        finished = true;
        return takePending();
      }
      if (!entry.isFile()) {
        continue;
      }
      String key = WebDatasetKeys.key(entry.getName());
      RawSample completed = key.equals(pendingKey) ? null : takePending();
      if (pendingKey == null) {
        pendingKey = key;
        pendingParts = new LinkedHashMap<>();
        pendingOversized = false;
      }
      if (bytes == null) {
        pendingOversized = true;
      } else {
        pendingParts.put(WebDatasetKeys.extension(entry.getName()), bytes);
      }
      if (completed != null) {
        return completed;
      }
    }
    return null;
  }

  /**
   * The archive broke while reading {@code entry} (null when its header was unreadable). The sample
   * that entry belongs to is lost and counted; a pending sample of another key was complete and is
   * still returned.
   */
  private RawSample onBrokenArchive(TarArchiveEntry entry, Exception e) {
    String brokenKey = entry == null ? null : WebDatasetKeys.key(entry.getName());
    String detail = String.valueOf(e.getMessage());
    if (brokenKey != null && brokenKey.equals(pendingKey)) {
      pendingKey = null;
      skipped.record(SkipReason.TRUNCATED_ENTRY, shard, brokenKey, detail);
      return null;
    }
    skipped.record(SkipReason.TRUNCATED_ENTRY, shard, brokenKey == null ? "?" : brokenKey, detail);
    return takePending();
  }

  private RawSample takePending() {
    if (pendingKey == null) {
      return null;
    }
    String key = pendingKey;
    Map<String, byte[]> parts = pendingParts;
    boolean oversized = pendingOversized;
    pendingKey = null;
    pendingParts = null;
    if (oversized) {
      skipped.record(SkipReason.OVERSIZED_ENTRY, shard, key, "a part exceeds " + MAX_PART_BYTES);
      return null;
    }
    return new RawSample(shard, key, parts);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
