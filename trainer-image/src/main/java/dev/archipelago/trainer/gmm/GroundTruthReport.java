package dev.archipelago.trainer.gmm;

import dev.archipelago.trainer.serve.ExpertRouter;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.VelocityModel;
import dev.archipelago.trainer.serve.VelocityQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A trained ensemble against the closed-form optimum of the Gaussian mixture it trained on, at the
 * times an Euler sampler of {@code steps} steps evaluates (t = 1, 1 − 1/steps, …, 1/steps). The
 * experts are first matched to components (k-means numbers its clusters arbitrarily): expert k to
 * the component whose v*_j its velocity is closest to, at t = ½. Then per time, over draws x_t =
 * (1−t)·x0 + t·ε of the true mixture:
 *
 * <ul>
 *   <li>the router's excess KL, E[KL(r* ‖ r̂)], next to the prior's, E[KL(r* ‖ π)] (a router that
 *       ignores x_t), and the router's accuracy (its top-1 is the draw's component) next to the
 *       Bayes ceiling (r*'s top-1 is);
 *   <li>each expert's relative velocity error on its own component, E|v̂_k − v*_j|² / E|v*_j|².
 * </ul>
 */
public final class GroundTruthReport {
  /** One sampler time. */
  public record AtTime(
      double t,
      double routerExcessKl,
      double priorExcessKl,
      double routerAccuracy,
      double bayesAccuracy,
      double[] expertVelocityError) {}

  private final GaussianMixture mixture;
  private final NoisedMixture noised;
  private final ImageShape shape;

  public GroundTruthReport(GaussianMixture mixture, ImageShape shape) {
    this.mixture = mixture;
    this.noised = new NoisedMixture(mixture);
    this.shape = shape;
  }

  /** Expert k's component: the one whose optimum velocity its own is closest to at t = ½. */
  public int[] matchExperts(List<? extends VelocityModel> experts, int draws, long seed) {
    int k = mixture.components();
    if (experts.size() != k) {
      throw new IllegalArgumentException(
          experts.size() + " experts cannot be matched to " + k + " components");
    }
    double[][] error = new double[k][k];
    for (int j = 0; j < k; j++) {
      Noised batch = noisedComponent(j, 0.5, draws, new SplittableRandom(seed + j));
      for (int e = 0; e < k; e++) {
        error[e][j] = relativeError(experts.get(e).velocity(batch.query()), batch.optimum(j));
      }
    }
    // Greedy on the smallest errors: K is small and a trained expert is far closer to its own.
    int[] match = new int[k];
    boolean[] expertDone = new boolean[k];
    boolean[] componentDone = new boolean[k];
    for (int round = 0; round < k; round++) {
      int bestE = -1;
      int bestJ = -1;
      for (int e = 0; e < k; e++) {
        for (int j = 0; j < k; j++) {
          if (!expertDone[e]
              && !componentDone[j]
              && (bestE < 0 || error[e][j] < error[bestE][bestJ])) {
            bestE = e;
            bestJ = j;
          }
        }
      }
      match[bestE] = bestJ;
      expertDone[bestE] = true;
      componentDone[bestJ] = true;
    }
    return match;
  }

  /**
   * @param match expert k's component, from {@link #matchExperts}
   */
  public List<AtTime> measure(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      int[] match,
      int steps,
      int draws,
      long seed) {
    int k = mixture.components();
    List<AtTime> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      double t = 1.0 - (double) i / steps;
      SplittableRandom random = new SplittableRandom(seed * 7919 + i);
      GaussianMixture.Draws drawn = mixture.sample(draws, random);
      float[] x = new float[draws * shape.values()];
      double[][] xt = new double[draws][];
      for (int n = 0; n < draws; n++) {
        xt[n] = noise(drawn.x()[n], t, random);
        copy(xt[n], x, n);
      }
      float[] t32 = new float[draws];
      Arrays.fill(t32, (float) t);
      float[] r = router.probabilities(new VelocityQuery(shape, draws, x, t32, null, 1f));
      double kl = 0;
      double priorKl = 0;
      int right = 0;
      int bayesRight = 0;
      for (int n = 0; n < draws; n++) {
        double[] exact = noised.posterior(xt[n], t);
        double[] learned = new double[k];
        for (int e = 0; e < k; e++) {
          learned[match[e]] += r[n * k + e];
        }
        kl += divergence(exact, learned) / draws;
        priorKl += divergence(exact, mixture.weights()) / draws;
        right += GaussianMixture.argmax(learned) == drawn.component()[n] ? 1 : 0;
        bayesRight += GaussianMixture.argmax(exact) == drawn.component()[n] ? 1 : 0;
      }
      double[] velocityError = new double[k];
      for (int e = 0; e < k; e++) {
        Noised batch = noisedComponent(match[e], t, draws, random);
        velocityError[e] =
            relativeError(experts.get(e).velocity(batch.query()), batch.optimum(match[e]));
      }
      out.add(
          new AtTime(
              t, kl, priorKl, right / (double) draws, bayesRight / (double) draws, velocityError));
    }
    return out;
  }

  /** A markdown table of {@code times}, one row per sampler time. */
  public static String table(List<AtTime> times) {
    StringBuilder out =
        new StringBuilder(
            "| t | router excess KL | prior's excess KL | router accuracy | Bayes accuracy |"
                + " expert velocity error (relative) |\n|---|---|---|---|---|---|\n");
    for (AtTime at : times) {
      StringBuilder errors = new StringBuilder();
      for (double e : at.expertVelocityError()) {
        errors.append(errors.length() == 0 ? "" : ", ").append(String.format("%.4f", e));
      }
      out.append(
          String.format(
              "| %.3f | %.4f | %.4f | %.3f | %.3f | %s |%n",
              at.t(),
              at.routerExcessKl(),
              at.priorExcessKl(),
              at.routerAccuracy(),
              at.bayesAccuracy(),
              errors));
    }
    return out.toString();
  }

  /** Draws of component j seen at time t, as a query, with the exact component velocities. */
  private Noised noisedComponent(int j, double t, int draws, SplittableRandom random) {
    float[] x = new float[draws * shape.values()];
    double[][] xt = new double[draws][];
    for (int n = 0; n < draws; n++) {
      double[] x0 = new double[shape.values()];
      for (int d = 0; d < x0.length; d++) {
        x0[d] =
            mixture.means()[j][d] + Math.sqrt(mixture.variances()[j][d]) * random.nextGaussian();
      }
      xt[n] = noise(x0, t, random);
      copy(xt[n], x, n);
    }
    float[] times = new float[draws];
    Arrays.fill(times, (float) t);
    return new Noised(new VelocityQuery(shape, draws, x, times, null, 1f), xt, t);
  }

  private final class Noised {
    private final VelocityQuery query;
    private final double[][] xt;
    private final double t;

    Noised(VelocityQuery query, double[][] xt, double t) {
      this.query = query;
      this.xt = xt;
      this.t = t;
    }

    VelocityQuery query() {
      return query;
    }

    float[] optimum(int component) {
      float[] v = new float[query.x().length];
      for (int n = 0; n < xt.length; n++) {
        double[] exact = noised.componentVelocity(component, xt[n], t);
        for (int d = 0; d < exact.length; d++) {
          v[n * exact.length + d] = (float) exact[d];
        }
      }
      return v;
    }
  }

  private static double[] noise(double[] x0, double t, SplittableRandom random) {
    double[] xt = new double[x0.length];
    for (int d = 0; d < x0.length; d++) {
      xt[d] = (1 - t) * x0[d] + t * random.nextGaussian();
    }
    return xt;
  }

  private static void copy(double[] from, float[] into, int row) {
    for (int d = 0; d < from.length; d++) {
      into[row * from.length + d] = (float) from[d];
    }
  }

  /** KL(p ‖ q), with q floored so a confident wrong router costs a large but finite amount. */
  static double divergence(double[] p, double[] q) {
    double sum = 0;
    for (int k = 0; k < p.length; k++) {
      if (p[k] > 0) {
        sum += p[k] * Math.log(p[k] / Math.max(q[k], 1e-12));
      }
    }
    return sum;
  }

  private static double relativeError(float[] predicted, float[] optimum) {
    double error = 0;
    double norm = 0;
    for (int i = 0; i < optimum.length; i++) {
      error += (predicted[i] - optimum[i]) * (double) (predicted[i] - optimum[i]);
      norm += optimum[i] * (double) optimum[i];
    }
    return error / norm;
  }
}
