package dev.archipelago.trainer.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An object store in a map, for tests of code whose S3 behaviour is covered elsewhere. */
public final class InMemoryObjectStore implements ObjectStore {
  private final Map<String, byte[]> objects = new TreeMap<>();

  @Override
  public synchronized void put(String key, byte[] bytes) {
    objects.put(key, bytes.clone());
  }

  @Override
  public synchronized void upload(String key, Path file) throws IOException {
    objects.put(key, Files.readAllBytes(file));
  }

  @Override
  public synchronized InputStream open(String key) throws IOException {
    byte[] bytes = objects.get(key);
    if (bytes == null) {
      throw new NoSuchObjectException(key);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public synchronized Optional<byte[]> read(String key) {
    return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized List<StoredObject> list(String prefix) {
    return objects.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(e -> new StoredObject(e.getKey(), e.getValue().length))
        .toList();
  }

  @Override
  public synchronized void delete(String key) {
    objects.remove(key);
  }

  @Override
  public String describe() {
    return "memory://";
  }

  @Override
  public void close() {}
}
