package dev.archipelago.trainer.serve;

import java.util.Arrays;

/**
 * Classifier-free guidance of one model, v = v(x, ∅) + g·(v(x, c) − v(x, ∅)): the query's images
 * are asked twice in one batch, with their class and with the null class.
 */
final class ClassifierFreeGuidance {
  private ClassifierFreeGuidance() {}

  /** Whether {@code query} needs the second, unconditional half. */
  static boolean applies(VelocityQuery query) {
    return query.labels() != null && query.guidance() != 1f;
  }

  /** The query's rows with their class, then the same rows with {@code nullClass}. */
  static VelocityQuery expand(VelocityQuery query, long nullClass) {
    int count = query.count();
    long[] labels = Arrays.copyOf(query.labels(), 2 * count);
    Arrays.fill(labels, count, 2 * count, nullClass);
    float[] x = Arrays.copyOf(query.x(), 2 * query.x().length);
    System.arraycopy(query.x(), 0, x, query.x().length, query.x().length);
    float[] t = Arrays.copyOf(query.t(), 2 * count);
    System.arraycopy(query.t(), 0, t, count, count);
    return new VelocityQuery(query.shape(), 2 * count, x, t, labels, 1f);
  }

  /** The guided velocity from the two halves {@link #expand} asked for. */
  static float[] combine(float[] both, float guidance) {
    int half = both.length / 2;
    float[] out = new float[half];
    for (int p = 0; p < half; p++) {
      float unconditional = both[half + p];
      out[p] = unconditional + (both[p] - unconditional) * guidance;
    }
    return out;
  }
}
