package dev.archipelago.trainer.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes one WebDataset shard: a tar whose consecutive entries {@code <key>.<ext>} form a sample.
 * Entries carry a fixed timestamp so a shard's bytes depend only on its samples.
 */
public final class WebDatasetShardWriter implements Closeable {
  private static final FileTime FIXED_MTIME = FileTime.from(Instant.EPOCH);

  private final TarArchiveOutputStream tar;
  private int samples;

  public WebDatasetShardWriter(OutputStream out) {
    this.tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** Writes one sample; {@code parts} maps an extension ("png", "cls", …) to its bytes. */
  public void write(String key, Map<String, byte[]> parts) throws IOException {
    WebDatasetKeys.requireValidKey(key);
    for (Map.Entry<String, byte[]> part : parts.entrySet()) {
      TarArchiveEntry entry = new TarArchiveEntry(key + "." + part.getKey());
      entry.setSize(part.getValue().length);
      entry.setLastModifiedTime(FIXED_MTIME);
      entry.setMode(0644);
      tar.putArchiveEntry(entry);
      tar.write(part.getValue());
      tar.closeArchiveEntry();
    }
    samples++;
  }

  /** Bytes of tar written so far (headers and padding included). */
  public long bytesWritten() {
    return tar.getBytesWritten();
  }

  /** Samples written so far. */
  public int samples() {
    return samples;
  }

  @Override
  public void close() throws IOException {
    tar.finish();
    tar.close();
  }
}
