package dev.archipelago.trainer.checkpoint;

import dev.archipelago.trainer.train.TensorSnapshot;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of named float32 tensors, written and read one tensor at a time so that a checkpoint of a
 * large model never has to sit in the heap whole.
 *
 * <p>Format (header fields big-endian, as {@link DataOutputStream} writes them): magic {@code
 * ARCT}, version 1, tensor count; then per tensor its name (modified UTF-8), rank, each dimension
 * (long) and the values as little-endian float32 (the order of the tensors in memory on x86 and
 * ARM, so values are copied, not converted, on both).
 */
public final class TensorFile {
  private static final int MAGIC = 0x41524354; // "ARCT"
  private static final int VERSION = 1;
  private static final int CHUNK_FLOATS = 1 << 16;

  private TensorFile() {}

  /** Writes tensors to a file; {@link #close()} checks that the announced count was written. */
  public static final class Writer implements AutoCloseable {
    private final DataOutputStream out;
    private final int expected;
    private int written;

    public Writer(Path file, int count) throws IOException {
      this.out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
      this.expected = count;
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(count);
    }

    public void write(String name, long[] shape, float[] values) throws IOException {
      long elements = 1;
      for (long d : shape) {
        elements *= d;
      }
      if (elements != values.length) {
        throw new IllegalArgumentException("shape of " + name + " does not match its values");
      }
      out.writeUTF(name);
      out.writeInt(shape.length);
      for (long d : shape) {
        out.writeLong(d);
      }
      ByteBuffer chunk =
          ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int start = 0; start < values.length; start += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, values.length - start);
        chunk.clear();
        chunk.asFloatBuffer().put(values, start, n);
        out.write(chunk.array(), 0, n * Float.BYTES);
      }
      written++;
    }

    @Override
    public void close() throws IOException {
      out.close();
      if (written != expected) {
        throw new IllegalStateException("announced " + expected + " tensors, wrote " + written);
      }
    }
  }

  /** Receives the tensors of a file in the order they were written. */
  public interface Visitor {
    void accept(String name, TensorSnapshot tensor) throws IOException;
  }

  /** Reads every tensor of {@code file}, one at a time. */
  public static void read(Path file, Visitor visitor) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IOException(file.getFileName() + " is not a version-" + VERSION + " tensor file");
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int rank = in.readInt();
        long[] shape = new long[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = in.readLong();
          elements *= shape[d];
        }
        if (elements < 0 || elements > Integer.MAX_VALUE) {
          throw new IOException("tensor " + name + " has an impossible size " + elements);
        }
        float[] values = new float[(int) elements];
        byte[] bytes = new byte[CHUNK_FLOATS * Float.BYTES];
        for (int start = 0; start < values.length; start += CHUNK_FLOATS) {
          int n = Math.min(CHUNK_FLOATS, values.length - start);
          in.readFully(bytes, 0, n * Float.BYTES);
          ByteBuffer.wrap(bytes, 0, n * Float.BYTES)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer()
              .get(values, start, n);
        }
        visitor.accept(name, new TensorSnapshot(shape, values));
      }
      if (in.read() != -1) {
        throw new IOException(file.getFileName() + " has bytes after its last tensor");
      }
    } catch (EOFException e) {
      throw new IOException(file.getFileName() + " ends early (truncated)", e);
    }
  }
}
