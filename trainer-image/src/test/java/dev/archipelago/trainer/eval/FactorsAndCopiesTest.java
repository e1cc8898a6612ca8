package dev.archipelago.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitFlops;
import org.junit.jupiter.api.Test;

/** Factor distances and coverage, the copy test on real shapes, and the FLOP count of a DiT. */
class FactorsAndCopiesTest {

  @Test
  void oneColourAloneIsFiveSixthsAwayAndCoversASixthOfTheCells() {
    ShapeImages real = ShapeImages.render(0, 0, 3000, 8);
    int[][] onlyRed = new int[3000][];
    for (int i = 0; i < onlyRed.length; i++) {
      onlyRed[i] = real.factors()[i].clone();
      onlyRed[i][1] = 0;
    }
    FactorReport same =
        FactorReport.of(ShapeImages.render(0, 3000, 3000, 8).factors(), real.factors());
    FactorReport red = FactorReport.of(onlyRed, real.factors());
    assertThat(same.distances()).allSatisfy(d -> assertThat(d).isLessThan(0.05));
    assertThat(red.distances().get(1)).isCloseTo(5.0 / 6, within(0.03));
    assertThat(red.distances().get(0)).isEqualTo(0.0);
    // 3000 draws of 360 equally likely cells hit nearly all; one colour leaves 60 to hit.
    assertThat(same.coverage()).isGreaterThan(0.99);
    assertThat(red.coverage()).isCloseTo(1.0 / 6, within(0.01));
    // The real side is counted at the same size: 3000 real images hit nearly every cell.
    assertThat(red.referenceCoverage()).isGreaterThan(0.99);
  }

  @Test
  void copiesOfTrainingImagesAreFoundAndFreshImagesAreNot() {
    ShapeImages training = ShapeImages.render(1, 0, 500, 16);
    ShapeImages fresh = ShapeImages.render(1, 500, 100, 16);
    float[][] copies = new float[100][];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = training.images()[3 * i].clone();
      // A copy through a PNG round trip: off by at most half a level.
      copies[i][0] += 0.003f;
    }
    try (NDManager manager = NDManager.newBaseManager();
        Memorisation memorisation = new Memorisation(training.images(), manager)) {
      Memorisation.Result copied = memorisation.of(copies);
      Memorisation.Result unseen = memorisation.of(fresh.images());
      assertThat(copied.copyRate()).isEqualTo(1.0);
      assertThat(copied.medianNearest()).isLessThan(0.01);
      assertThat(unseen.copyRate()).isLessThan(0.05);
      assertThat(unseen.medianNearest()).isGreaterThan(0.1);
    }
  }

  @Test
  void ditXl2CountsTheFlopsOfTheDitPaper() {
    // DiT-XL/2 on 256 px images (32×32×4 latents): 118.6 GFLOPs in the paper, which counts one
    // multiply-add as one FLOP; this counts two.
    DitConfig xl2 = new DitConfig(32, 4, 2, 1152, 28, 16, 4.0, 1000, 0.1);
    assertThat(DitFlops.expert(xl2) / 2e9).isCloseTo(118.6, within(1.0));
    DitConfig b2 = new DitConfig(32, 4, 2, 768, 12, 12, 4.0, 1000, 0.1);
    assertThat(DitFlops.expert(b2) / 2e9).isCloseTo(23.0, within(0.5));
    assertThat(DitFlops.router(b2, 8)).isLessThan(DitFlops.expert(b2));
  }
}
