package dev.archipelago.trainer.serve;

import dev.archipelago.trainer.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The decentralized model's velocity, v(x_t, t) = Σ_k w_k(x_t, t) · v_k(x_t, t): the router is
 * asked at every evaluation, {@link Routing} turns its probabilities into weights, and the images
 * that use an expert go to it as one batch, so each expert runs at most once per evaluation and not
 * at all when no image picked it. One instance serves one generation (it numbers its evaluations to
 * draw {@code sample}'s choices from the seed).
 */
public final class EnsembleVelocity implements VelocityModel {
  /** Told how many images each expert received at an evaluation (for metrics). */
  @FunctionalInterface
  public interface SelectionListener {
    void selected(int expert, int images);
  }

  private final ExpertRouter router;
  private final List<? extends VelocityModel> experts;
  private final Routing routing;
  private final long seed;
  private final RoutingTrace trace;
  private final SelectionListener selections;
  private int evaluation;

  public EnsembleVelocity(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      Routing routing,
      long seed,
      RoutingTrace trace,
      SelectionListener selections) {
    if (router.experts() != experts.size()) {
      throw new IllegalArgumentException(
          "the router knows " + router.experts() + " experts, " + experts.size() + " given");
    }
    this.router = router;
    this.experts = List.copyOf(experts);
    this.routing = routing;
    this.seed = seed;
    this.trace = trace;
    this.selections = selections;
  }

  @Override
  public float[] velocity(VelocityQuery query) {
    int k = experts.size();
    int count = query.count();
    int values = query.shape().values();
    long draw = evaluation++;
    float[] probabilities = router.probabilities(query);
    float[] weights =
        routing.weights(probabilities, count, k, i -> Seeds.random(seed, draw, i).nextDouble());
    // Every chosen expert is asked before any answer is awaited: batched experts share the model
    // thread's next passes, remote ones work in parallel, so a step costs the slowest expert.
    List<int[]> rowsOf = new ArrayList<>();
    List<CompletableFuture<float[]>> answers = new ArrayList<>();
    for (int e = 0; e < k; e++) {
      int[] rows = rowsUsing(weights, count, k, e);
      rowsOf.add(rows);
      answers.add(rows.length == 0 ? null : experts.get(e).velocityAsync(query.rows(rows)));
    }
    float[] out = new float[count * values];
    for (int e = 0; e < k; e++) {
      int[] rows = rowsOf.get(e);
      if (rows.length == 0) {
        continue;
      }
      float[] v = Futures.await(answers.get(e));
      for (int j = 0; j < rows.length; j++) {
        float w = weights[rows[j] * k + e];
        int target = rows[j] * values;
        int source = j * values;
        for (int p = 0; p < values; p++) {
          out[target + p] += w * v[source + p];
        }
      }
      selections.selected(e, rows.length);
    }
    if (trace != null) {
      int[] chosen = new int[count];
      for (int i = 0; i < count; i++) {
        chosen[i] = Routing.argmax(weights, i * k, k);
      }
      trace.record(query.t()[0], chosen);
    }
    return out;
  }

  private static int[] rowsUsing(float[] weights, int count, int k, int expert) {
    int n = 0;
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      if (weights[i * k + expert] > 0f) {
        rows[n++] = i;
      }
    }
    return java.util.Arrays.copyOf(rows, n);
  }
}
