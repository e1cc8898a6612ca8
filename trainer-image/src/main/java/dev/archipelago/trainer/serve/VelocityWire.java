package dev.archipelago.trainer.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The binary body of {@code POST /v1/velocity} between a router and a distributed expert: floats
 * travel bit for bit, so distributed serving gives the images colocated serving gives. Layout
 * (big-endian): magic, count, channels, size, guidance, has-labels byte, t[count], labels[count]?,
 * x[count·C·H·W]. The answer is the velocity, count·C·H·W floats.
 */
public final class VelocityWire {
  public static final String CONTENT_TYPE = "application/x-archipelago-velocity";
  private static final int MAGIC = 0x41565131; // "AVQ1"
  private static final int HEADER_BYTES = 4 * Integer.BYTES + Float.BYTES + 1;

  private VelocityWire() {}

  public static byte[] encode(VelocityQuery query) {
    int labels = query.labels() == null ? 0 : query.count();
    ByteBuffer out =
        ByteBuffer.allocate(
            HEADER_BYTES + Float.BYTES * (query.count() + query.x().length) + Long.BYTES * labels);
    out.putInt(MAGIC)
        .putInt(query.count())
        .putInt(query.shape().channels())
        .putInt(query.shape().size())
        .putFloat(query.guidance())
        .put((byte) (query.labels() == null ? 0 : 1));
    putFloats(out, query.t());
    if (query.labels() != null) {
      out.asLongBuffer().put(query.labels());
      out.position(out.position() + Long.BYTES * labels);
    }
    putFloats(out, query.x());
    return out.array();
  }

  /** The largest body {@link #decodeQuery} can accept for {@code maxValues}: t, labels and x. */
  public static int maxQueryBytes(int maxValues) {
    long most = HEADER_BYTES + (long) maxValues * (2 * Float.BYTES + Long.BYTES);
    return (int) Math.min(Integer.MAX_VALUE - 8, most);
  }

  /**
   * @param maxValues refuse bodies that claim more floats than this (a malformed or hostile size)
   */
  public static VelocityQuery decodeQuery(InputStream body, int maxValues) throws IOException {
    byte[] header = body.readNBytes(HEADER_BYTES);
    if (header.length < HEADER_BYTES) {
      throw new IOException("a velocity query needs a " + HEADER_BYTES + "-byte header");
    }
    ByteBuffer head = ByteBuffer.wrap(header);
    if (head.getInt() != MAGIC) {
      throw new IOException("not a velocity query (bad magic number)");
    }
    int count = head.getInt();
    ImageShape shape = new ImageShape(head.getInt(), head.getInt());
    if (count < 1 || (long) count * shape.values() > maxValues) {
      throw new IOException("a query of " + count + " images of " + shape + " is out of bounds");
    }
    float guidance = head.getFloat();
    boolean hasLabels = head.get() != 0;
    int rest =
        Float.BYTES * (count + count * shape.values()) + (hasLabels ? Long.BYTES * count : 0);
    byte[] bytes = body.readNBytes(rest);
    if (bytes.length != rest) {
      throw new IOException("the query is cut short: " + bytes.length + " of " + rest + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      float[] t = getFloats(in, count);
      long[] labels = null;
      if (hasLabels) {
        labels = new long[count];
        in.asLongBuffer().get(labels);
        in.position(in.position() + Long.BYTES * count);
      }
      float[] x = getFloats(in, count * shape.values());
      return new VelocityQuery(shape, count, x, t, labels, guidance);
    } catch (BufferUnderflowException e) {
      throw new IOException("the query is cut short", e);
    }
  }

  public static byte[] encode(float[] velocity) {
    ByteBuffer out = ByteBuffer.allocate(Float.BYTES * velocity.length);
    putFloats(out, velocity);
    return out.array();
  }

  public static float[] decodeVelocity(byte[] body, int values) throws IOException {
    if (body.length != (long) Float.BYTES * values) {
      throw new IOException("expected " + values + " floats, got " + body.length + " bytes");
    }
    return getFloats(ByteBuffer.wrap(body), values);
  }

  private static void putFloats(ByteBuffer out, float[] values) {
    out.asFloatBuffer().put(values);
    out.position(out.position() + Float.BYTES * values.length);
  }

  private static float[] getFloats(ByteBuffer in, int n) {
    float[] values = new float[n];
    in.asFloatBuffer().get(values);
    in.position(in.position() + Float.BYTES * n);
    return values;
  }
}
