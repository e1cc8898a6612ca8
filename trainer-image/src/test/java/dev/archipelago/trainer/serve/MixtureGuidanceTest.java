package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.spec.InferenceStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mixture guidance: the router asked with the class and with the null class may pick different
 * experts, and the guided velocity extrapolates from the null-class ensemble through the
 * class-conditional one.
 */
class MixtureGuidanceTest {
  private static final ImageShape SHAPE = new ImageShape(1, 1);
  private static final long NULL_CLASS = 5;

  /** Top-1 on expert 0 for a real class, on expert 1 for the null class. */
  private static final ExpertRouter ROUTER =
      new ExpertRouter() {
        @Override
        public int experts() {
          return 2;
        }

        @Override
        public float[] probabilities(VelocityQuery query) {
          float[] out = new float[query.count() * 2];
          for (int i = 0; i < query.count(); i++) {
            out[i * 2 + (query.labels()[i] == NULL_CLASS ? 1 : 0)] = 1f;
          }
          return out;
        }
      };

  /** An expert whose velocity tells which expert and which kind of label answered. */
  private static VelocityModel expert(float conditional, float unconditional) {
    return query -> {
      float[] v = new float[query.count()];
      for (int i = 0; i < v.length; i++) {
        assertThat(query.guidance()).as("experts are not asked to guide themselves").isEqualTo(1f);
        v[i] = query.labels()[i] == NULL_CLASS ? unconditional : conditional;
      }
      return v;
    };
  }

  private static VelocityModel ensemble() {
    return new EnsembleVelocity(
        ROUTER,
        List.of(expert(1f, 10f), expert(2f, 20f)),
        new Routing(InferenceStrategy.TOP1, 1),
        0,
        null,
        (e, n) -> {});
  }

  @Test
  void extrapolatesFromTheNullClassEnsembleThroughTheConditionalOne() {
    MixtureGuidance guided = new MixtureGuidance(ensemble(), ensemble(), NULL_CLASS);

    float[] v =
        guided.velocity(
            VelocityQuery.atTime(SHAPE, new float[] {0.3f, -0.2f}, 0.5f, new long[] {2, 3}, 3f));

    // v(c) = expert 0 with the class = 1; v(∅) = expert 1 with the null class = 20.
    assertThat(v).containsExactly(20f + 3f * (1f - 20f), 20f + 3f * (1f - 20f));
  }

  @Test
  void withoutGuidanceItIsTheConditionalEnsemble() {
    MixtureGuidance guided = new MixtureGuidance(ensemble(), ensemble(), NULL_CLASS);

    float[] v =
        guided.velocity(VelocityQuery.atTime(SHAPE, new float[] {0.3f}, 0.5f, new long[] {2}, 1f));

    assertThat(v).containsExactly(1f);
  }
}
