package dev.archipelago.trainer.data;

import dev.archipelago.api.spec.DatasetSpec;

/**
 * The images a run trains on: square, {@code size} pixels a side, with {@code channels} planes: 1
 * grey, 2 grey + alpha, 3 RGB, 4 RGBA ({@code spec.dataset.channels}). Sources of another kind are
 * converted on decoding.
 */
public record ImageFormat(int size, int channels) {
  public static final int MAX_CHANNELS = 4;

  public ImageFormat {
    if (size < 1) {
      throw new IllegalArgumentException("imageSize must be positive: " + size);
    }
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "channels must be 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA), got " + channels);
    }
  }

  /** The format {@code spec.dataset} asks for (channels default to 3). */
  public static ImageFormat of(DatasetSpec dataset) {
    Integer channels = dataset.getChannels();
    return new ImageFormat(dataset.getImageSize(), channels == null ? 3 : channels);
  }

  public static ImageFormat rgb(int size) {
    return new ImageFormat(size, 3);
  }

  /** Floats per image (CHW). */
  public int values() {
    return channels * size * size;
  }

  public boolean hasAlpha() {
    return channels == 2 || channels == 4;
  }
}
