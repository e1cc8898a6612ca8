package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleVelocityTest {
  private static final ImageShape SHAPE = FakeModels.SHAPE;

  @Test
  void fullEnsembleIsTheRouterWeightedSumOfExpertVelocities() {
    List<FakeModels.LinearExpert> experts = experts(3);
    float[] r = {0.2f, 0.5f, 0.3f};
    VelocityQuery query = query(new float[] {1, 2, 3, 4, -1, 0, 2, 5}, 0.7f);
    float[] v =
        ensemble(FakeModels.fixedRouter(r), experts, new Routing(InferenceStrategy.FULL, 1), null)
            .velocity(query);
    for (int p = 0; p < v.length; p++) {
      double expected = 0;
      for (int k = 0; k < 3; k++) {
        expected += r[k] * ((k + 1) * query.x()[p] + 0.7f);
      }
      assertThat((double) v[p]).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void topKRenormalisesTheKMostLikelyExperts() {
    List<FakeModels.LinearExpert> experts = experts(3);
    VelocityQuery query = query(new float[] {1, 2, 3, 4}, 0.5f);
    float[] v =
        ensemble(
                FakeModels.fixedRouter(0.2f, 0.5f, 0.3f),
                experts,
                new Routing(InferenceStrategy.TOPK, 2),
                null)
            .velocity(query);
    for (int p = 0; p < v.length; p++) {
      double x = query.x()[p];
      double expected = (0.5 * (2 * x + 0.5) + 0.3 * (3 * x + 0.5)) / 0.8;
      assertThat((double) v[p]).isCloseTo(expected, within(1e-5));
    }
    assertThat(experts.get(0).batches).as("the least likely expert is never run").isEmpty();
  }

  @Test
  void top1RunsEachExpertOnceOnTheImagesRoutedToItAndMatchesPerImageEvaluation() {
    // Images with positive mean lean to expert 0 at t = 0.5, negative ones to expert 1.
    float[] x = {1, 1, 1, 1, -1, -1, -1, -1, 2, 2, 2, 2, -3, -3, -3, -3, 0.5f, 0.5f, 0.5f, 0.5f};
    List<FakeModels.LinearExpert> experts = experts(2);
    float[] batched =
        ensemble(FakeModels.timeRouter(), experts, Routing.top1(), null).velocity(query(x, 0.5f));
    assertThat(experts.get(0).batches).containsExactly(3);
    assertThat(experts.get(1).batches).containsExactly(2);

    for (int i = 0; i < 5; i++) {
      float[] one = Arrays.copyOfRange(x, i * 4, i * 4 + 4);
      float[] alone =
          ensemble(FakeModels.timeRouter(), experts(2), Routing.top1(), null)
              .velocity(query(one, 0.5f));
      assertThat(Arrays.copyOfRange(batched, i * 4, i * 4 + 4)).containsExactly(alone);
    }
  }

  @Test
  void theRouterIsAskedAtEveryStepSoTheChosenExpertChangesAlongTheTrajectory() {
    RoutingTrace trace = new RoutingTrace();
    List<FakeModels.LinearExpert> experts = experts(2);
    int steps = 10;
    FlowSampler.sample(
        ensemble(FakeModels.timeRouter(), experts, Routing.top1(), trace),
        Sampler.EULER,
        SHAPE,
        new float[] {0.3f, 0.1f, -0.2f, 0.4f},
        null,
        1f,
        steps);

    assertThat(trace.evaluations()).hasSize(steps);
    assertThat(trace.evaluations().get(0).t()).isEqualTo(1f);
    int[] path = trace.pathOf(0);
    assertThat(path[0]).as("noisy: expert 0").isZero();
    assertThat(path[steps - 1]).as("nearly clean: expert 1").isEqualTo(1);
    assertThat(experts.get(0).batches.size() + experts.get(1).batches.size())
        .as("one expert call per step under top-1")
        .isEqualTo(steps);
  }

  @Test
  void sampleStrategyIsReproducibleForASeedAndUsesOneExpertPerImage() {
    float[] x = new float[4 * 8];
    Arrays.fill(x, 0.1f);
    VelocityQuery query = query(x, 0.5f);
    Routing sample = new Routing(InferenceStrategy.SAMPLE, 1);
    RoutingTrace first = new RoutingTrace();
    RoutingTrace again = new RoutingTrace();
    ensemble(FakeModels.timeRouter(), experts(2), sample, first).velocity(query);
    ensemble(FakeModels.timeRouter(), experts(2), sample, again).velocity(query);
    assertThat(first.evaluations().get(0).experts())
        .containsExactly(again.evaluations().get(0).experts());
  }

  private static List<FakeModels.LinearExpert> experts(int k) {
    List<FakeModels.LinearExpert> experts = new ArrayList<>();
    for (int e = 0; e < k; e++) {
      experts.add(new FakeModels.LinearExpert(e));
    }
    return experts;
  }

  private static EnsembleVelocity ensemble(
      ExpertRouter router, List<FakeModels.LinearExpert> experts, Routing routing, RoutingTrace t) {
    return new EnsembleVelocity(router, experts, routing, 42L, t, (e, n) -> {});
  }

  private static VelocityQuery query(float[] x, float t) {
    return VelocityQuery.atTime(SHAPE, x, t, null, 1f);
  }
}
