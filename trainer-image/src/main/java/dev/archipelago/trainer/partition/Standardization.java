package dev.archipelago.trainer.partition;

/**
 * Per-dimension z-scoring, (x − mean) / std, so that no feature dominates the distances by its
 * units. A dimension that does not vary (std ≈ 0) is centred only.
 */
public record Standardization(float[] mean, float[] std) {
  private static final float MIN_STD = 1e-6f;

  /** No change: for features that are already on one scale (unit vectors). */
  public static Standardization identity(int dimension) {
    float[] mean = new float[dimension];
    float[] std = new float[dimension];
    java.util.Arrays.fill(std, 1f);
    return new Standardization(mean, std);
  }

  public void apply(float[] row) {
    for (int d = 0; d < row.length; d++) {
      float s = std[d] > MIN_STD ? std[d] : 1f;
      row[d] = (row[d] - mean[d]) / s;
    }
  }

  /** {@code rows} read through this standardisation. */
  public FeatureRows over(FeatureRows rows) {
    return new FeatureRows() {
      @Override
      public int size() {
        return rows.size();
      }

      @Override
      public int dimension() {
        return rows.dimension();
      }

      @Override
      public void read(int row, float[] into) {
        rows.read(row, into);
        apply(into);
      }
    };
  }
}
