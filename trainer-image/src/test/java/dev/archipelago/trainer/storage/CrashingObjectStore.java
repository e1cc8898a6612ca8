package dev.archipelago.trainer.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Simulates a process killed while writing checkpoints: after {@code writesBeforeCrash} writes of
 * checkpoint objects (keys containing {@code /checkpoints/}) every further write and delete fails,
 * as if nothing after that moment happened. Other objects (progress) are written normally.
 */
public final class CrashingObjectStore implements ObjectStore {
  private final ObjectStore delegate;
  private final int writesBeforeCrash;
  private int checkpointWrites;
  private boolean crashed;

  public CrashingObjectStore(ObjectStore delegate, int writesBeforeCrash) {
    this.delegate = delegate;
    this.writesBeforeCrash = writesBeforeCrash;
  }

  public boolean crashed() {
    return crashed;
  }

  private void beforeWrite(String key) throws IOException {
    if (crashed) {
      throw new IOException("process is dead (simulated)");
    }
    if (key.contains("/checkpoints/")) {
      if (checkpointWrites == writesBeforeCrash) {
        crashed = true;
        throw new IOException("killed while writing " + key + " (simulated)");
      }
      checkpointWrites++;
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    beforeWrite(key);
    delegate.put(key, bytes);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    beforeWrite(key);
    delegate.upload(key, file);
  }

  @Override
  public InputStream open(String key) throws IOException {
    return delegate.open(key);
  }

  @Override
  public Optional<byte[]> read(String key) throws IOException {
    return delegate.read(key);
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    if (crashed) {
      throw new IOException("process is dead (simulated)");
    }
    delegate.delete(key);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {}
}
