package dev.archipelago.trainer.model;

/**
 * The fixed 2-D sine-cosine position table of ViT/DiT: half of each token's width encodes its row,
 * half its column, each as sin/cos at geometrically spaced frequencies. Fixed (not learned), so it
 * is no parameter and needs no checkpointing.
 */
final class SinCosPositions {
  private SinCosPositions() {}

  /** A row-major [grid², width] table. */
  static float[] table(int grid, int width) {
    int quarter = width / 4;
    float[] out = new float[grid * grid * width];
    for (int row = 0; row < grid; row++) {
      for (int col = 0; col < grid; col++) {
        int base = (row * grid + col) * width;
        // First half encodes the column, second half the row (DiT's grid order).
        encode(col, quarter, out, base);
        encode(row, quarter, out, base + 2 * quarter);
      }
    }
    return out;
  }

  private static void encode(int position, int quarter, float[] out, int offset) {
    for (int i = 0; i < quarter; i++) {
      double omega = 1.0 / Math.pow(10000, (double) i / quarter);
      out[offset + i] = (float) Math.sin(position * omega);
      out[offset + quarter + i] = (float) Math.cos(position * omega);
    }
  }
}
