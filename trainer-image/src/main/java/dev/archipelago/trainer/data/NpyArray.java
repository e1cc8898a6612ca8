package dev.archipelago.trainer.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array of float16 or float32 (either byte order, C order), as {@code
 * numpy.save} writes it: the magic {@code \x93NUMPY}, a version, a Python-literal header with
 * {@code descr}, {@code fortran_order} and {@code shape}, then the values.
 */
public record NpyArray(int[] shape, float[] values) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Thrown for bytes that are not a float16/float32 C-order {@code .npy}; says what is wrong. */
  public static final class NpyFormatException extends Exception {
    NpyFormatException(String message) {
      super(message);
    }
  }

  public static NpyArray parse(byte[] bytes) throws NpyFormatException {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new NpyFormatException("not a .npy file (no \\x93NUMPY magic)");
    }
    int major = bytes[6] & 0xFF;
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = buffer.getShort(8) & 0xFFFF;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = buffer.getInt(8);
      headerStart = 12;
    } else {
      throw new NpyFormatException(".npy version " + major + " is not known");
    }
    if (headerLength < 0 || headerStart + headerLength > bytes.length) {
      throw new NpyFormatException("truncated .npy header");
    }
    String header =
        new String(
            bytes,
            headerStart,
            headerLength,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeText = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shapeText.find()) {
      throw new NpyFormatException("unreadable .npy header " + header.trim());
    }
    if (fortran.group(1).equals("True")) {
      throw new NpyFormatException(".npy in Fortran order is not supported; save it C-ordered");
    }
    String kind = descr.group(2);
    int width = Integer.parseInt(descr.group(3));
    if (!kind.equals("f") || (width != 2 && width != 4)) {
      throw new NpyFormatException(
          ".npy of dtype " + descr.group(0) + "; only float16 and float32 are read");
    }
    int[] shape = shape(shapeText.group(1));
    long count = 1;
    for (int side : shape) {
      count *= side;
    }
    int dataStart = headerStart + headerLength;
    if (count > Integer.MAX_VALUE || dataStart + count * width != bytes.length) {
      throw new NpyFormatException(
          ".npy of shape "
              + Arrays.toString(shape)
              + " needs "
              + count * width
              + " bytes of data, has "
              + (bytes.length - dataStart));
    }
    ByteBuffer data =
        ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
            .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = width == 4 ? data.getFloat() : Float16.toFloat(data.getShort());
    }
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new NpyFormatException(".npy holds a value that is not finite: " + v);
      }
    }
    return new NpyArray(shape, values);
  }

  private static int[] shape(String text) throws NpyFormatException {
    String[] parts = text.split(",");
    int[] shape = new int[parts.length];
    int n = 0;
    for (String part : parts) {
      if (part.isBlank()) {
        continue;
      }
      try {
        shape[n] = Integer.parseInt(part.trim());
      } catch (NumberFormatException e) {
        throw new NpyFormatException(".npy shape (" + text + ") is not a tuple of sizes");
      }
      if (shape[n++] < 0) {
        throw new NpyFormatException(".npy shape (" + text + ") has a negative size");
      }
    }
    return Arrays.copyOf(shape, n);
  }

  /** The array as a version 1.0 little-endian float32 {@code .npy}, as numpy.save writes it. */
  public byte[] toBytes() {
    StringBuilder dims = new StringBuilder();
    for (int side : shape) {
      dims.append(side).append(", ");
    }
    String shapeText =
        shape.length == 1 ? shape[0] + "," : dims.substring(0, Math.max(0, dims.length() - 2));
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    // numpy pads the header with spaces and a newline so that the data starts 64-byte aligned.
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + values.length * 4);
    out.writeBytes(MAGIC);
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xFF);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      data.putFloat(v);
    }
    out.writeBytes(data.array());
    return out.toByteArray();
  }
}
