package dev.archipelago.trainer.gmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.archipelago.trainer.serve.ExpertRouter;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.VelocityModel;
import dev.archipelago.trainer.serve.VelocityQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report on models it can judge exactly: the oracle ensemble, with its experts shuffled the way
 * k-means would number them, is matched back to its components and scores no excess KL, no velocity
 * error and the Bayes accuracy; a router that ignores x_t scores the prior's excess KL.
 */
class GroundTruthReportTest {
  private static final GaussianMixture MIXTURE = GaussianMixture.random(3, 4, 2.5, 1.0, 2);
  private static final ImageShape SHAPE = new ImageShape(1, 2);

  @Test
  void theOracleIsMatchedBackAndScoresNothing() {
    ExactEnsemble oracle = new ExactEnsemble(new NoisedMixture(MIXTURE), SHAPE);
    // Expert e serves component SHUFFLE[e].
    int[] shuffle = {2, 0, 1};
    List<VelocityModel> exact = oracle.experts();
    List<VelocityModel> experts = List.of(exact.get(2), exact.get(0), exact.get(1));
    ExpertRouter router = permuted(oracle.router(), shuffle);
    GroundTruthReport report = new GroundTruthReport(MIXTURE, SHAPE);

    int[] match = report.matchExperts(experts, 500, 1);
    assertThat(match).containsExactly(shuffle);
    for (GroundTruthReport.AtTime at : report.measure(router, experts, match, 5, 2000, 3)) {
      assertThat(at.routerExcessKl()).as("t = %s", at.t()).isLessThan(1e-6);
      assertThat(at.routerAccuracy()).isEqualTo(at.bayesAccuracy());
      assertThat(java.util.Arrays.stream(at.expertVelocityError()).max().orElseThrow())
          .isLessThan(1e-9);
    }
  }

  @Test
  void aRouterThatIgnoresTheImageScoresThePriorsExcessKl() {
    ExactEnsemble oracle = new ExactEnsemble(new NoisedMixture(MIXTURE), SHAPE);
    ExpertRouter prior =
        new ExpertRouter() {
          @Override
          public int experts() {
            return 3;
          }

          @Override
          public float[] probabilities(VelocityQuery query) {
            float[] p = new float[query.count() * 3];
            for (int i = 0; i < p.length; i++) {
              p[i] = (float) MIXTURE.weights()[i % 3];
            }
            return p;
          }
        };
    GroundTruthReport report = new GroundTruthReport(MIXTURE, SHAPE);
    List<GroundTruthReport.AtTime> times =
        report.measure(prior, oracle.experts(), new int[] {0, 1, 2}, 4, 2000, 5);
    for (GroundTruthReport.AtTime at : times) {
      assertThat(at.routerExcessKl()).isCloseTo(at.priorExcessKl(), within(1e-5));
    }
    // At t = 1 the posterior is the prior; later it is not, and ignoring x_t costs.
    assertThat(times.get(0).priorExcessKl()).isLessThan(1e-9);
    assertThat(times.get(3).priorExcessKl()).isGreaterThan(0.05);
  }

  /** The oracle's router with its columns reordered: expert e answers for component shuffle[e]. */
  private static ExpertRouter permuted(ExpertRouter router, int[] shuffle) {
    return new ExpertRouter() {
      @Override
      public int experts() {
        return router.experts();
      }

      @Override
      public float[] probabilities(VelocityQuery query) {
        float[] p = router.probabilities(query);
        int k = shuffle.length;
        float[] out = new float[p.length];
        for (int n = 0; n < query.count(); n++) {
          for (int e = 0; e < k; e++) {
            out[n * k + e] = p[n * k + shuffle[e]];
          }
        }
        return out;
      }
    };
  }
}
