package dev.archipelago.trainer.serve;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The binary body of {@code POST /v1/velocity} between a router and a distributed expert: floats
 * travel bit for bit, so distributed serving gives the images colocated serving gives. Layout
 * (big-endian): magic, count, channels, size, guidance, has-labels byte, t[count], labels[count]?,
 * x[count·C·H·W]. The answer is the velocity, count·C·H·W floats.
 */
public final class VelocityWire {
  public static final String CONTENT_TYPE = "application/x-archipelago-velocity";
  private static final int MAGIC = 0x41565131; // "AVQ1"

  private VelocityWire() {}

  public static byte[] encode(VelocityQuery query) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(32 + 4 * (query.x().length + 3 * query.count()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(query.count());
      out.writeInt(query.shape().channels());
      out.writeInt(query.shape().size());
      out.writeFloat(query.guidance());
      out.writeBoolean(query.labels() != null);
      for (float t : query.t()) {
        out.writeFloat(t);
      }
      if (query.labels() != null) {
        for (long label : query.labels()) {
          out.writeLong(label);
        }
      }
      writeFloats(out, query.x());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * @param maxValues refuse bodies that claim more floats than this (a malformed or hostile size)
   */
  public static VelocityQuery decodeQuery(InputStream body, int maxValues) throws IOException {
    DataInputStream in = new DataInputStream(body);
    if (in.readInt() != MAGIC) {
      throw new IOException("not a velocity query (bad magic number)");
    }
    int count = in.readInt();
    ImageShape shape = new ImageShape(in.readInt(), in.readInt());
    if (count < 1 || (long) count * shape.values() > maxValues) {
      throw new IOException("a query of " + count + " images of " + shape + " is out of bounds");
    }
    float guidance = in.readFloat();
    boolean hasLabels = in.readBoolean();
    float[] t = readFloats(in, count);
    long[] labels = null;
    if (hasLabels) {
      labels = new long[count];
      for (int i = 0; i < count; i++) {
        labels[i] = in.readLong();
      }
    }
    float[] x = readFloats(in, count * shape.values());
    return new VelocityQuery(shape, count, x, t, labels, guidance);
  }

  public static byte[] encode(float[] velocity) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * velocity.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeFloats(out, velocity);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  public static float[] decodeVelocity(byte[] body, int values) throws IOException {
    if (body.length != 4L * values) {
      throw new IOException("expected " + values + " floats, got " + body.length + " bytes");
    }
    return readFloats(new DataInputStream(new java.io.ByteArrayInputStream(body)), values);
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  private static float[] readFloats(DataInputStream in, int n) throws IOException {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }
}
