package dev.archipelago.trainer.partition;

/** A table of feature vectors that k-means reads by row, in any order. */
public interface FeatureRows {

  int size();

  int dimension();

  /** Copies row {@code row} into {@code into} (of length {@link #dimension()}). */
  void read(int row, float[] into);

  /** Rows held in memory, for small tables and tests. */
  static FeatureRows of(float[][] rows) {
    int dimension = rows.length == 0 ? 0 : rows[0].length;
    return new FeatureRows() {
      @Override
      public int size() {
        return rows.length;
      }

      @Override
      public int dimension() {
        return dimension;
      }

      @Override
      public void read(int row, float[] into) {
        System.arraycopy(rows[row], 0, into, 0, dimension);
      }
    };
  }
}
