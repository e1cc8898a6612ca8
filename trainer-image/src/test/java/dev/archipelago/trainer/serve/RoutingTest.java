package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.archipelago.api.spec.InferenceStrategy;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTest {
  private static final float[] TWO_IMAGES = {
    0.1f, 0.6f, 0.3f, 0.0f, // image 0: expert 1, then 2
    0.25f, 0.25f, 0.2f, 0.3f // image 1: expert 3, then a tie between 0 and 1
  };

  @Test
  void top1GivesTheMostLikelyExpertWeightOne() {
    float[] w = Routing.top1().weights(TWO_IMAGES, 2, 4, i -> 0);
    assertThat(w).containsExactly(0, 1, 0, 0, 0, 0, 0, 1);
  }

  @Test
  void topKKeepsTheKLargestRenormalisedToOne() {
    float[] w = new Routing(InferenceStrategy.TOPK, 2).weights(TWO_IMAGES, 2, 4, i -> 0);
    assertThat(w[1]).isCloseTo(0.6f / 0.9f, within(1e-6f));
    assertThat(w[2]).isCloseTo(0.3f / 0.9f, within(1e-6f));
    assertThat(w[0]).isZero();
    assertThat(w[3]).isZero();
    // Image 1: 0.3 (expert 3), then the tie 0.25/0.25 goes to the lower index, expert 0.
    assertThat(w[4]).isCloseTo(0.25f / 0.55f, within(1e-6f));
    assertThat(w[5]).isZero();
    assertThat(w[7]).isCloseTo(0.3f / 0.55f, within(1e-6f));
    assertThat(w[4] + w[7]).isCloseTo(1f, within(1e-6f));
  }

  @Test
  void topKWithKEqualToTheExpertsIsTheFullEnsemble() {
    float[] all = new Routing(InferenceStrategy.TOPK, 4).weights(TWO_IMAGES, 2, 4, i -> 0);
    float[] full = new Routing(InferenceStrategy.FULL, 1).weights(TWO_IMAGES, 2, 4, i -> 0);
    for (int i = 0; i < all.length; i++) {
      assertThat(all[i]).isCloseTo(full[i], within(1e-6f));
    }
  }

  @Test
  void fullUsesTheRouterProbabilitiesAsWeights() {
    float[] w = new Routing(InferenceStrategy.FULL, 1).weights(TWO_IMAGES, 2, 4, i -> 0);
    assertThat(w).containsExactly(TWO_IMAGES);
  }

  @Test
  void sampleDrawsEachExpertAsOftenAsTheRouterSays() {
    float[] probabilities = {0.1f, 0.6f, 0.3f};
    Routing sample = new Routing(InferenceStrategy.SAMPLE, 1);
    SplittableRandom random = new SplittableRandom(7);
    int[] counts = new int[3];
    int draws = 20_000;
    for (int n = 0; n < draws; n++) {
      float[] w = sample.weights(probabilities, 1, 3, i -> random.nextDouble());
      for (int e = 0; e < 3; e++) {
        if (w[e] == 1f) {
          counts[e]++;
        }
      }
    }
    assertThat(counts[0] + counts[1] + counts[2]).isEqualTo(draws);
    assertThat(counts[0] / (double) draws).isCloseTo(0.1, within(0.01));
    assertThat(counts[1] / (double) draws).isCloseTo(0.6, within(0.01));
    assertThat(counts[2] / (double) draws).isCloseTo(0.3, within(0.01));
  }
}
