package dev.archipelago.trainer.partition;

/**
 * The paper's partitioning: mini-batch k-means into many fine clusters, then k-means of the fine
 * centroids weighted by their sample counts into K coarse clusters; each sample joins the coarse
 * cluster of its nearest fine centroid. Fine clusters keep rare modes from being swallowed early;
 * the weighted second stage balances the coarse clusters by mass.
 */
public final class TwoStageKMeans {
  private static final int COARSE_RESTARTS = 10;
  private static final long FINE_STREAM = 11;
  private static final long COARSE_STREAM = 12;
  private static final int ASSIGNMENT_CHECK_ROWS = 4096;

  private final MiniBatchKMeans fine;

  public TwoStageKMeans(MiniBatchKMeans fine) {
    this.fine = fine;
  }

  /**
   * The outcome.
   *
   * @param fineCentroids [fine][dimension]
   * @param fineToCluster coarse cluster of each fine centroid
   * @param fineCounts samples nearest to each fine centroid
   * @param clusterCentroids [K][dimension], the weighted means of their fine centroids
   * @param clusterOfRow coarse cluster of each row
   * @param clusterSizes samples per coarse cluster
   * @param fineInertia Σ squared distance of each row to its fine centroid
   */
  public record Result(
      float[][] fineCentroids,
      int[] fineToCluster,
      long[] fineCounts,
      float[][] clusterCentroids,
      int[] clusterOfRow,
      long[] clusterSizes,
      double fineInertia) {}

  /**
   * @param fineClusters first-stage clusters; lowered to the row count for tiny data sets
   * @param clusters K
   */
  public Result fit(FeatureRows rows, int fineClusters, int clusters, long seed) {
    return fit(rows, fineClusters, clusters, seed, PartitionStop.NEVER);
  }

  /** As {@link #fit(FeatureRows, int, int, long)}; {@code stop} is checked between batches. */
  public Result fit(
      FeatureRows rows, int fineClusters, int clusters, long seed, PartitionStop stop) {
    int n = rows.size();
    if (clusters > n) {
      throw new IllegalArgumentException(clusters + " clusters requested for " + n + " samples");
    }
    int k = Math.max(clusters, Math.min(fineClusters, n));
    float[][] fineCentroids = fine.fit(rows, k, seed ^ FINE_STREAM, stop);

    int[] fineOfRow = new int[n];
    long[] fineCounts = new long[k];
    double inertia = 0;
    float[][] chunk = new float[ASSIGNMENT_CHECK_ROWS][rows.dimension()];
    try (NearestCentroids nearest = new NearestCentroids(fineCentroids)) {
      for (int start = 0; start < n; start += ASSIGNMENT_CHECK_ROWS) {
        stop.check("fine assignment");
        int count = Math.min(ASSIGNMENT_CHECK_ROWS, n - start);
        for (int i = 0; i < count; i++) {
          rows.read(start + i, chunk[i]);
        }
        NearestCentroids.Assignment a = nearest.assign(chunk, count);
        for (int i = 0; i < count; i++) {
          fineOfRow[start + i] = a.nearest()[i];
          fineCounts[a.nearest()[i]]++;
          inertia += a.squaredDistance()[i];
        }
      }
    }
    double[] weights = new double[k];
    for (int c = 0; c < k; c++) {
      weights[c] = fineCounts[c];
    }
    WeightedKMeans.Result coarse =
        new WeightedKMeans(COARSE_RESTARTS)
            .fit(fineCentroids, weights, clusters, seed ^ COARSE_STREAM);

    int[] clusterOfRow = new int[n];
    long[] sizes = new long[clusters];
    for (int i = 0; i < n; i++) {
      clusterOfRow[i] = coarse.assignment()[fineOfRow[i]];
      sizes[clusterOfRow[i]]++;
    }
    return new Result(
        fineCentroids,
        coarse.assignment(),
        fineCounts,
        coarse.centroids(),
        clusterOfRow,
        sizes,
        inertia);
  }
}
