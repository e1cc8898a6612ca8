package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwoStageKMeansTest {

  /** 2000 points around 5 random centres in 16 dimensions, unequal cluster sizes. */
  private static final int POINTS = 2000;

  private static final int BLOBS = 5;
  private static final int DIMENSION = 16;

  @Test
  void recoversPlantedGaussianBlobsWithAnAdjustedRandIndexOfAtLeast095() {
    int[] truth = new int[POINTS];
    float[][] rows = blobs(truth, 7);

    TwoStageKMeans.Result result =
        new TwoStageKMeans(MiniBatchKMeans.defaults()).fit(FeatureRows.of(rows), 64, BLOBS, 3);

    double ari = ClusterAgreement.adjustedRandIndex(truth, result.clusterOfRow());
    System.out.printf(
        "planted blobs: adjusted Rand index %.4f, sizes %s%n",
        ari, Arrays.toString(result.clusterSizes()));
    assertThat(ari).isGreaterThanOrEqualTo(0.95);
    assertThat(result.clusterSizes()).hasSize(BLOBS).doesNotContain(0L);
    assertThat(result.fineCentroids().length).isEqualTo(64);
  }

  @Test
  void isDeterministicForASeedAndVariesWithIt() {
    float[][] rows = blobs(new int[POINTS], 11);
    TwoStageKMeans kmeans = new TwoStageKMeans(MiniBatchKMeans.defaults());

    TwoStageKMeans.Result a = kmeans.fit(FeatureRows.of(rows), 32, 4, 5);
    TwoStageKMeans.Result b = kmeans.fit(FeatureRows.of(rows), 32, 4, 5);
    TwoStageKMeans.Result c = kmeans.fit(FeatureRows.of(rows), 32, 4, 6);

    assertThat(b.clusterOfRow()).isEqualTo(a.clusterOfRow());
    assertThat(b.fineCentroids()).isDeepEqualTo(a.fineCentroids());
    assertThat(Arrays.deepEquals(c.fineCentroids(), a.fineCentroids())).isFalse();
  }

  private static float[][] blobs(int[] truth, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] centres = new float[BLOBS][DIMENSION];
    for (float[] centre : centres) {
      for (int d = 0; d < DIMENSION; d++) {
        centre[d] = (float) (random.nextGaussian() * 4);
      }
    }
    float[][] rows = new float[truth.length][DIMENSION];
    for (int i = 0; i < truth.length; i++) {
      // Sizes in proportion 1:2:3:4:5, so the weighted second stage is exercised.
      int r = random.nextInt(15);
      truth[i] = r < 1 ? 0 : r < 3 ? 1 : r < 6 ? 2 : r < 10 ? 3 : 4;
      for (int d = 0; d < DIMENSION; d++) {
        rows[i][d] = centres[truth[i]][d] + (float) random.nextGaussian();
      }
    }
    return rows;
  }
}
