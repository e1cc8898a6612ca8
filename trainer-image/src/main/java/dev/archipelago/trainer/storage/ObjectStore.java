package dev.archipelago.trainer.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The few object-store operations the trainer needs, over one bucket. Keys are full object keys
 * (the run's prefix included). S3 has no rename and no multi-object transaction: callers that need
 * atomic visibility write their data first and a small pointer object last.
 */
public interface ObjectStore extends AutoCloseable {

  /** Writes a small object from memory, replacing any object with that key. */
  void put(String key, byte[] bytes) throws IOException;

  /** Uploads a local file (multipart for large files), replacing any object with that key. */
  void upload(String key, Path file) throws IOException;

  /** A stream over an object's bytes; the caller closes it. */
  InputStream open(String key) throws IOException;

  /** A small object's bytes, or empty when there is no such key. */
  Optional<byte[]> read(String key) throws IOException;

  /** Objects whose keys start with {@code prefix}, at any depth, sorted by key. */
  List<StoredObject> list(String prefix) throws IOException;

  /** Deletes one object; deleting a missing key is not an error. */
  void delete(String key) throws IOException;

  /** Where the objects live, for logs and errors. */
  String describe();

  @Override
  void close();
}
