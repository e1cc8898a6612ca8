package dev.archipelago.trainer.storage;

import dev.archipelago.trainer.data.ShardSink;
import dev.archipelago.trainer.data.ShardSource;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebDataset shards as the {@code *.tar} objects directly under one prefix of an object store.
 *
 * <p>Reading streams each shard with one GET, so a data set is never downloaded as a whole. Writing
 * buffers one shard in memory and uploads it on close (one PUT), so readers never list a partial
 * shard; shards are a few MB to a few hundred MB by WebDataset convention.
 */
public final class ObjectStoreShards implements ShardSource, ShardSink {
  private static final String SHARD_SUFFIX = ".tar";

  private final ObjectStore store;
  private final String prefix;
  private final AtomicLong bytesRead = new AtomicLong();

  /**
   * @param prefix key prefix of the data set, empty or ending with '/'
   */
  public ObjectStoreShards(ObjectStore store, String prefix) {
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a shard prefix ends with '/': " + prefix);
    }
    this.store = store;
    this.prefix = prefix;
  }

  @Override
  public List<String> listShards() throws IOException {
    return store.list(prefix).stream()
        .map(o -> o.key().substring(prefix.length()))
        .filter(name -> name.endsWith(SHARD_SUFFIX) && !name.contains("/"))
        .sorted()
        .toList();
  }

  @Override
  public InputStream open(String shardName) throws IOException {
    return new BufferedInputStream(new CountingStream(store.open(key(shardName))), 1 << 16);
  }

  /** Bytes read from the store through this source's shards so far (any thread). */
  public long bytesRead() {
    return bytesRead.get();
  }

  /** Counts what the store delivered, read ahead by the buffer or not. */
  private final class CountingStream extends FilterInputStream {
    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bytesRead.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      int n = super.read(buffer, off, len);
      if (n > 0) {
        bytesRead.addAndGet(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skippedBytes = super.skip(n);
      bytesRead.addAndGet(skippedBytes);
      return skippedBytes;
    }
  }

  @Override
  public OutputStream create(String shardName) throws IOException {
    String key = key(shardName);
    return new ByteArrayOutputStream(1 << 20) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          store.put(key, toByteArray());
        }
      }
    };
  }

  @Override
  public String describe() {
    return prefix + " in " + store.describe();
  }

  private String key(String shardName) {
    if (shardName.contains("/") || shardName.startsWith(".")) {
      throw new IllegalArgumentException("not a plain shard name: " + shardName);
    }
    return prefix + shardName;
  }
}
