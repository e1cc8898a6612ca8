package dev.archipelago.trainer.partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Feature vectors on local disk (the pod's scratch directory), float32 row after row, so that
 * k-means can take many passes over a data set larger than the heap without decoding an image
 * twice. Appending also accumulates each dimension's mean and variance for standardisation.
 */
public final class FeatureFile implements FeatureRows, AutoCloseable {
  private final Path path;
  private final int dimension;
  private final FileChannel channel;
  private final ByteBuffer rowBuffer;
  private final double[] sums;
  private final double[] sumSquares;
  private int rows;

  public FeatureFile(Path path, int dimension) throws IOException {
    this.path = path;
    this.dimension = dimension;
    this.channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    this.rowBuffer = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.sums = new double[dimension];
    this.sumSquares = new double[dimension];
  }

  public void append(float[] row) throws IOException {
    if (row.length != dimension) {
      throw new IllegalArgumentException("row of " + row.length + " values, expected " + dimension);
    }
    rowBuffer.clear();
    rowBuffer.asFloatBuffer().put(row);
    rowBuffer.limit(dimension * Float.BYTES);
    long position = (long) rows * dimension * Float.BYTES;
    while (rowBuffer.hasRemaining()) {
      position += channel.write(rowBuffer, position);
    }
    for (int d = 0; d < dimension; d++) {
      sums[d] += row[d];
      sumSquares[d] += (double) row[d] * row[d];
    }
    rows++;
  }

  @Override
  public int size() {
    return rows;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public synchronized void read(int row, float[] into) {
    rowBuffer.clear();
    long position = (long) row * dimension * Float.BYTES;
    try {
      while (rowBuffer.hasRemaining()) {
        int n = channel.read(rowBuffer, position + rowBuffer.position());
        if (n < 0) {
          throw new IOException("feature file ends before row " + row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rowBuffer.flip();
    rowBuffer.asFloatBuffer().get(into, 0, dimension);
  }

  /** Each dimension's mean and standard deviation over the rows appended so far. */
  public Standardization standardization() {
    float[] mean = new float[dimension];
    float[] std = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      double m = rows == 0 ? 0 : sums[d] / rows;
      double variance = rows == 0 ? 0 : Math.max(0, sumSquares[d] / rows - m * m);
      mean[d] = (float) m;
      std[d] = (float) Math.sqrt(variance);
    }
    return new Standardization(mean, std);
  }

  @Override
  public void close() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }
}
