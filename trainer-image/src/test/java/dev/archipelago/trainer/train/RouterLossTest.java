package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class RouterLossTest {

  @Test
  void crossEntropyIsTheMeanNegativeLogProbabilityOfTheTrueCluster() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(new float[][] {{2f, 0f, 0f}, {0f, 0f, 0f}});
      NDArray clusters = manager.create(new long[] {0, 2});

      float loss = RouterLoss.crossEntropy(logits, clusters).getFloat();

      double e2 = Math.exp(2);
      double expected = (-Math.log(e2 / (e2 + 2)) - Math.log(1.0 / 3)) / 2;
      assertThat((double) loss).isCloseTo(expected, within(1e-6));
    }
  }
}
