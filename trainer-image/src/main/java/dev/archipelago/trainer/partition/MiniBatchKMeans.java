package dev.archipelago.trainer.partition;

import dev.archipelago.trainer.random.Seeds;
import java.util.SplittableRandom;

/**
 * Mini-batch k-means (Sculley 2010): seeds with k-means++ on a random sample of the rows, then
 * repeatedly draws a random batch, assigns each row to its nearest centre and moves that centre
 * towards it with step 1 / (rows it has absorbed so far). Reads rows through {@link FeatureRows},
 * so memory is the centres plus one seeding sample, whatever the data set's size. A batch's nearest
 * centres are one matrix product on the engine ({@link NearestCentroids}); centres that draw no row
 * for an epoch are re-seeded. Deterministic for a seed.
 */
public final class MiniBatchKMeans {
  private static final long SEEDING_STREAM = 1;
  private static final long BATCH_STREAM = 2;
  // Windows shorter than this could call a centre dead that a large k simply had not drawn yet.
  private static final long RESEED_MIN_WINDOW = 20;

  private final int batchSize;
  private final double epochs;
  private final int minIterations;

  /**
   * @param batchSize rows per mini-batch
   * @param epochs how many times, on average, each row is drawn
   * @param minIterations lower bound on the number of batches for small data sets
   */
  public MiniBatchKMeans(int batchSize, double epochs, int minIterations) {
    this.batchSize = batchSize;
    this.epochs = epochs;
    this.minIterations = minIterations;
  }

  public static MiniBatchKMeans defaults() {
    return new MiniBatchKMeans(1024, 5, 100);
  }

  public float[][] fit(FeatureRows rows, int k, long seed) {
    return fit(rows, k, seed, PartitionStop.NEVER);
  }

  /** As {@link #fit(FeatureRows, int, long)}, checking {@code stop} before every batch. */
  public float[][] fit(FeatureRows rows, int k, long seed, PartitionStop stop) {
    int n = rows.size();
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("cannot make " + k + " clusters of " + n + " rows");
    }
    int sampleSize = Math.min(n, Math.max(10 * k, 2000));
    int[] order = Seeds.permutation(n, Seeds.random(seed, SEEDING_STREAM));
    float[][] sample = new float[sampleSize][rows.dimension()];
    double[] ones = new double[sampleSize];
    for (int i = 0; i < sampleSize; i++) {
      rows.read(order[i], sample[i]);
      ones[i] = 1;
    }
    float[][] centres = KMeansPlusPlus.seed(sample, ones, k, Seeds.random(seed, SEEDING_STREAM, 1));

    int batch = Math.min(n, batchSize);
    long iterations = Math.max(minIterations, (long) Math.ceil(epochs * n / batch));
    long[] absorbed = new long[k];
    long[] absorbedInWindow = new long[k];
    long window = Math.max(RESEED_MIN_WINDOW, n / batch);
    float[][] rowsOfBatch = new float[batch][rows.dimension()];
    for (long it = 0; it < iterations; it++) {
      stop.check("fine k-means");
      SplittableRandom random = Seeds.random(seed, BATCH_STREAM, it);
      for (int i = 0; i < batch; i++) {
        rows.read(random.nextInt(n), rowsOfBatch[i]);
      }
      int[] assigned;
      try (NearestCentroids nearest = new NearestCentroids(centres)) {
        assigned = nearest.assign(rowsOfBatch, batch).nearest();
      }
      for (int i = 0; i < batch; i++) {
        absorbedInWindow[assigned[i]]++;
      }
      if ((it + 1) % window == 0 && it + 1 < iterations) {
        reseedDead(centres, absorbed, absorbedInWindow, rowsOfBatch, random);
      }
      for (int i = 0; i < batch; i++) {
        float[] centre = centres[assigned[i]];
        double rate = 1.0 / ++absorbed[assigned[i]];
        for (int d = 0; d < centre.length; d++) {
          centre[d] += (float) (rate * (rowsOfBatch[i][d] - centre[d]));
        }
      }
    }
    return centres;
  }

  /**
   * A centre that drew no row for a whole window (about an epoch) is dead: it is moved onto a row
   * of the current batch and starts absorbing afresh, so that all k fine clusters hold data.
   */
  private static void reseedDead(
      float[][] centres,
      long[] absorbed,
      long[] absorbedInWindow,
      float[][] rowsOfBatch,
      SplittableRandom random) {
    for (int c = 0; c < centres.length; c++) {
      if (absorbedInWindow[c] == 0) {
        float[] row = rowsOfBatch[random.nextInt(rowsOfBatch.length)];
        System.arraycopy(row, 0, centres[c], 0, row.length);
        absorbed[c] = 0;
      }
      absorbedInWindow[c] = 0;
    }
  }
}
