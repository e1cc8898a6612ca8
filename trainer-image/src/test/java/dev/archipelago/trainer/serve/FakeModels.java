package dev.archipelago.trainer.serve;

import dev.archipelago.api.spec.InferenceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Closed-form stand-ins for experts and routers, to check the routing maths exactly. */
final class FakeModels {
  static final ImageShape SHAPE = new ImageShape(1, 2);

  private FakeModels() {}

  /** v_k(x, t) = (k + 1)·x + t, recording the batch sizes it was called with. */
  static final class LinearExpert implements VelocityModel {
    final int k;
    final List<Integer> batches = new ArrayList<>();

    LinearExpert(int k) {
      this.k = k;
    }

    @Override
    public float[] velocity(VelocityQuery query) {
      batches.add(query.count());
      int values = query.shape().values();
      float[] v = new float[query.x().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (k + 1) * query.x()[i] + query.t()[i / values];
      }
      return v;
    }
  }

  /**
   * A two-expert router whose belief follows time and the image's mean: p(expert 0) = t (noisy
   * images go to expert 0, clean ones to expert 1), nudged by the sign of the image.
   */
  static ExpertRouter timeRouter() {
    return new ExpertRouter() {
      @Override
      public int experts() {
        return 2;
      }

      @Override
      public float[] probabilities(VelocityQuery query) {
        int values = query.shape().values();
        float[] p = new float[query.count() * 2];
        for (int i = 0; i < query.count(); i++) {
          float mean = 0;
          for (int j = 0; j < values; j++) {
            mean += query.x()[i * values + j] / values;
          }
          float p0 = Math.max(0.01f, Math.min(0.99f, query.t()[i] + 0.05f * Math.signum(mean)));
          p[2 * i] = p0;
          p[2 * i + 1] = 1 - p0;
        }
        return p;
      }
    };
  }

  /** A router with fixed probabilities for every image. */
  static ExpertRouter fixedRouter(float... probabilities) {
    return new ExpertRouter() {
      @Override
      public int experts() {
        return probabilities.length;
      }

      @Override
      public float[] probabilities(VelocityQuery query) {
        float[] p = new float[query.count() * probabilities.length];
        for (int i = 0; i < query.count(); i++) {
          System.arraycopy(probabilities, 0, p, i * probabilities.length, probabilities.length);
        }
        return p;
      }
    };
  }

  /**
   * A server's state with two copies of {@code expert} behind {@link #timeRouter}, up to 4 images a
   * request, generating one at a time on the model thread (no batching).
   */
  static ServingState twoExperts(String name, VelocityModel expert, ServingMetrics metrics) {
    ModelFacts facts = new ModelFacts(name, SHAPE, List.of(1L, 1L), 1L, 0);
    return ServingState.ensemble(
        new Generator(timeRouter(), List.of(expert, expert), facts, metrics),
        new RequestParser(facts, new InferenceSpec(), RequestLimits.ofCount(4)),
        () -> null,
        Optional.empty());
  }
}
