package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The engine's matrix-product search agrees with the scalar loop it replaced. */
class NearestCentroidsTest {
  @Test
  void findsTheNearestCentroidAndItsDistanceAsTheScalarLoopDoes() {
    SplittableRandom random = new SplittableRandom(5);
    float[][] centroids = gaussian(random, 64, 32, 3);
    float[][] rows = gaussian(random, 500, 32, 3);
    int agree = 0;
    try (NearestCentroids nearest = new NearestCentroids(centroids)) {
      NearestCentroids.Assignment a = nearest.assign(rows, rows.length);
      for (int i = 0; i < rows.length; i++) {
        int expected = Distances.nearest(rows[i], centroids);
        double expectedDistance = Distances.squared(rows[i], centroids[expected]);
        assertThat((double) a.squaredDistance()[i])
            .isCloseTo(expectedDistance, within(1e-3 * expectedDistance + 1e-4));
        // A different choice only between centroids at the same distance (float32 rounding).
        double chosen = Distances.squared(rows[i], centroids[a.nearest()[i]]);
        assertThat(chosen).isCloseTo(expectedDistance, within(1e-4 * expectedDistance + 1e-5));
        agree += a.nearest()[i] == expected ? 1 : 0;
      }
    }
    assertThat(agree).isGreaterThanOrEqualTo(495);
  }

  private static float[][] gaussian(SplittableRandom random, int n, int d, double scale) {
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) (scale * normal(random));
      }
    }
    return x;
  }

  private static double normal(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
