package dev.archipelago.trainer.partition;

/** Agreement measures between two labelings of the same items. */
final class ClusterAgreement {
  private ClusterAgreement() {}

  /** Hubert &amp; Arabie's adjusted Rand index: 1 for identical partitions, ≈ 0 for chance. */
  static double adjustedRandIndex(int[] a, int[] b) {
    long[][] table = contingency(a, b);
    double sumCells = 0;
    double[] rows = new double[table.length];
    double[] cols = new double[table[0].length];
    for (int i = 0; i < table.length; i++) {
      for (int j = 0; j < table[0].length; j++) {
        sumCells += pairs(table[i][j]);
        rows[i] += table[i][j];
        cols[j] += table[i][j];
      }
    }
    double sumRows = 0;
    double sumCols = 0;
    for (double r : rows) {
      sumRows += pairs(r);
    }
    for (double c : cols) {
      sumCols += pairs(c);
    }
    double expected = sumRows * sumCols / pairs(a.length);
    double max = (sumRows + sumCols) / 2;
    return (sumCells - expected) / (max - expected);
  }

  /** Normalised mutual information I(a; b) / √(H(a)·H(b)), from 0 (independent) to 1. */
  static double normalizedMutualInformation(int[] a, int[] b) {
    long[][] table = contingency(a, b);
    double n = a.length;
    double[] rows = new double[table.length];
    double[] cols = new double[table[0].length];
    for (int i = 0; i < table.length; i++) {
      for (int j = 0; j < table[0].length; j++) {
        rows[i] += table[i][j];
        cols[j] += table[i][j];
      }
    }
    double mi = 0;
    for (int i = 0; i < table.length; i++) {
      for (int j = 0; j < table[0].length; j++) {
        if (table[i][j] > 0) {
          mi += table[i][j] / n * Math.log(n * table[i][j] / (rows[i] * cols[j]));
        }
      }
    }
    return mi / Math.sqrt(entropy(rows, n) * entropy(cols, n));
  }

  private static double entropy(double[] counts, double n) {
    double h = 0;
    for (double c : counts) {
      if (c > 0) {
        h -= c / n * Math.log(c / n);
      }
    }
    return h;
  }

  private static long[][] contingency(int[] a, int[] b) {
    int ka = 0;
    int kb = 0;
    for (int i = 0; i < a.length; i++) {
      ka = Math.max(ka, a[i] + 1);
      kb = Math.max(kb, b[i] + 1);
    }
    long[][] table = new long[ka][kb];
    for (int i = 0; i < a.length; i++) {
      table[a[i]][b[i]]++;
    }
    return table;
  }

  private static double pairs(double n) {
    return n * (n - 1) / 2;
  }
}
