package dev.archipelago.trainer.partition;

import dev.archipelago.trainer.data.Sample;
import java.util.List;

/**
 * The default features: the image average-pooled to {@code grid}×{@code grid} per channel, plus
 * each channel's mean and standard deviation (so colour and contrast count even where the layout
 * varies). Values are raw; the partitioner standardises every dimension over the data set.
 */
public final class PixelFeatures implements ImageFeatures {
  public static final int DEFAULT_GRID = 8;

  private final int grid;
  private final int channels;

  public PixelFeatures(int grid, int channels) {
    if (grid < 1) {
      throw new IllegalArgumentException("grid must be positive: " + grid);
    }
    this.grid = grid;
    this.channels = channels;
  }

  @Override
  public int dimension() {
    return channels * grid * grid + 2 * channels;
  }

  @Override
  public float[][] extract(List<Sample> batch) {
    float[][] out = new float[batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      out[i] = features(batch.get(i));
    }
    return out;
  }

  private float[] features(Sample sample) {
    int size = sample.imageSize();
    int cells = Math.min(grid, size);
    float[] pixels = sample.pixels();
    float[] f = new float[dimension()];
    int plane = size * size;
    int statsAt = channels * grid * grid;
    int[] counts = new int[grid * grid];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        // y * cells / size spreads the pixels evenly when size is not a multiple of the grid.
        counts[(y * cells / size) * grid + x * cells / size]++;
      }
    }
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      double sumSquares = 0;
      for (int y = 0; y < size; y++) {
        int row = (c * grid + y * cells / size) * grid;
        for (int x = 0; x < size; x++) {
          float v = pixels[c * plane + y * size + x];
          f[row + x * cells / size] += v;
          sum += v;
          sumSquares += (double) v * v;
        }
      }
      for (int cell = 0; cell < grid * grid; cell++) {
        if (counts[cell] > 0) {
          f[c * grid * grid + cell] /= counts[cell];
        }
      }
      double mean = sum / plane;
      f[statsAt + 2 * c] = (float) mean;
      f[statsAt + 2 * c + 1] = (float) Math.sqrt(Math.max(0, sumSquares / plane - mean * mean));
    }
    return f;
  }

  @Override
  public String describe() {
    return "pixels (" + grid + "x" + grid + " average-pooled RGB + per-channel mean and std)";
  }
}
