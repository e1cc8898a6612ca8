package dev.archipelago.trainer.partition;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.StoredObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The partition's features in the object store, a chunk of consecutive source shards at a time, so
 * that a preempted partition resumes from its last complete chunk. The rows are written first and
 * the chunk's record last: a chunk without its record is incomplete and computed again.
 */
final class FeatureChunks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final String prefix;
  private final int dimension;

  FeatureChunks(ObjectStore store, StorageLayout layout, int dimension) {
    this.store = store;
    this.prefix = layout.featureChunks();
    this.dimension = dimension;
  }

  /** A stored chunk and its rows. */
  record Stored(FeatureChunk chunk, float[][] rows) {}

  /** Chunk {@code index}, if it is complete and was computed from these inputs and shards. */
  Optional<Stored> read(int index, String fingerprint, List<String> shards) throws IOException {
    Optional<byte[]> record = store.read(recordKey(index));
    if (record.isEmpty()) {
      return Optional.empty();
    }
    FeatureChunk chunk = JSON.readValue(record.get(), FeatureChunk.class);
    if (!chunk.fingerprint().equals(fingerprint) || !chunk.shards().equals(shards)) {
      return Optional.empty();
    }
    Optional<byte[]> bytes = store.read(rowsKey(index));
    if (bytes.isEmpty() || bytes.get().length != (long) chunk.rows() * dimension * Float.BYTES) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes.get()).order(ByteOrder.LITTLE_ENDIAN);
    float[][] rows = new float[chunk.rows()][dimension];
    for (float[] row : rows) {
      buffer.asFloatBuffer().get(row);
      buffer.position(buffer.position() + dimension * Float.BYTES);
    }
    return Optional.of(new Stored(chunk, rows));
  }

  void write(int index, FeatureChunk chunk, float[][] rows) throws IOException {
    ByteBuffer buffer =
        ByteBuffer.allocate(rows.length * dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : rows) {
      buffer.asFloatBuffer().put(row);
      buffer.position(buffer.position() + dimension * Float.BYTES);
    }
    store.put(rowsKey(index), buffer.array());
    store.put(recordKey(index), JSON.writeValueAsBytes(chunk));
  }

  /** Deletes every chunk: the partition is complete, its centroids keep what routing needs. */
  void deleteAll() throws IOException {
    for (StoredObject o : store.list(prefix)) {
      store.delete(o.key());
    }
  }

  private String rowsKey(int index) {
    return prefix + String.format("chunk-%06d.f32", index);
  }

  private String recordKey(int index) {
    return prefix + String.format("chunk-%06d.json", index);
  }
}
