package dev.archipelago.trainer.serve;

import java.util.ArrayList;
import java.util.List;

/**
 * The expert each image was routed to at each model evaluation (Heun evaluates twice per step):
 * under {@code top1} and {@code sample} the only expert used, under {@code topk} and {@code full}
 * the one with the largest weight.
 */
public final class RoutingTrace {
  /** One evaluation: its time and the chosen expert per image. */
  public record Evaluation(float t, int[] experts) {}

  private final List<Evaluation> evaluations = new ArrayList<>();

  void record(float t, int[] experts) {
    evaluations.add(new Evaluation(t, experts.clone()));
  }

  public List<Evaluation> evaluations() {
    return List.copyOf(evaluations);
  }

  /** The experts image {@code image} went through, one per evaluation. */
  public int[] pathOf(int image) {
    return evaluations.stream().mapToInt(e -> e.experts()[image]).toArray();
  }
}
