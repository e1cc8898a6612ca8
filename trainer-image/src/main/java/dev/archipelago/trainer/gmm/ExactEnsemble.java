package dev.archipelago.trainer.gmm;

import dev.archipelago.trainer.serve.ExpertRouter;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.VelocityModel;
import dev.archipelago.trainer.serve.VelocityQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The oracle ensemble: the exact router r* and exact experts v*_k of a {@link NoisedMixture},
 * behind the serving interfaces, so the server's own routing strategies and samplers run on them.
 * What top-1 (or any strategy) gets wrong with these models is the strategy's own bias, free of any
 * learning error. A mixture of dimension d is served as images of {@code shape} with d values.
 */
public final class ExactEnsemble {
  private final NoisedMixture noised;
  private final ImageShape shape;

  public ExactEnsemble(NoisedMixture noised, ImageShape shape) {
    if (shape.values() != noised.mixture().dimension()) {
      throw new IllegalArgumentException(
          shape
              + " holds "
              + shape.values()
              + " values, the mixture has "
              + noised.mixture().dimension()
              + " dimensions");
    }
    this.noised = noised;
    this.shape = shape;
  }

  public ImageShape shape() {
    return shape;
  }

  public ExpertRouter router() {
    return new ExpertRouter() {
      @Override
      public int experts() {
        return noised.mixture().components();
      }

      @Override
      public float[] probabilities(VelocityQuery query) {
        int k = experts();
        float[] out = new float[query.count() * k];
        for (int i = 0; i < query.count(); i++) {
          double[] r = noised.posterior(row(query, i), query.t()[i]);
          for (int j = 0; j < k; j++) {
            out[i * k + j] = (float) r[j];
          }
        }
        return out;
      }
    };
  }

  public List<VelocityModel> experts() {
    List<VelocityModel> experts = new ArrayList<>();
    for (int k = 0; k < noised.mixture().components(); k++) {
      int component = k;
      experts.add(query -> velocities(query, component));
    }
    return experts;
  }

  private float[] velocities(VelocityQuery query, int component) {
    int n = shape.values();
    float[] out = new float[query.x().length];
    for (int i = 0; i < query.count(); i++) {
      double[] v = noised.componentVelocity(component, row(query, i), query.t()[i]);
      for (int j = 0; j < n; j++) {
        out[i * n + j] = (float) v[j];
      }
    }
    return out;
  }

  private static double[] row(VelocityQuery query, int i) {
    int n = query.shape().values();
    double[] x = new double[n];
    for (int j = 0; j < n; j++) {
      x[j] = query.x()[i * n + j];
    }
    return x;
  }
}
