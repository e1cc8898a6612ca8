package dev.archipelago.operator.island;

import dev.archipelago.api.ComputeIsland;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Which nodes belong to an island, and what they offer. */
final class IslandNodes {
  private IslandNodes() {}

  static boolean selects(ComputeIsland island, Node node) {
    Map<String, String> selector = island.getSpec().getNodeSelector();
    Map<String, String> labels = node.getMetadata().getLabels();
    return selector != null
        && !selector.isEmpty()
        && labels != null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Ready, schedulable, and every NoSchedule/NoExecute taint tolerated by the island. */
  static boolean usable(ComputeIsland island, Node node) {
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    boolean ready =
        node.getStatus() != null
            && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    List<Taint> taints =
        node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    return ready
        && taints.stream()
            .filter(t -> !"PreferNoSchedule".equals(t.getEffect()))
            .allMatch(t -> tolerated(island.getSpec().getTolerations(), t));
  }

  static long gpus(ComputeIsland island, Node node) {
    Map<String, Quantity> allocatable =
        node.getStatus() == null ? null : node.getStatus().getAllocatable();
    Quantity q =
        allocatable == null ? null : allocatable.get(island.getSpec().getGpu().getResourceName());
    return q == null ? 0 : q.getNumericalAmount().longValue();
  }

  private static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    if (tolerations == null) {
      return false;
    }
    return tolerations.stream()
        .anyMatch(
            t ->
                (t.getEffect() == null
                        || t.getEffect().isEmpty()
                        || t.getEffect().equals(taint.getEffect()))
                    && ("Exists".equals(t.getOperator())
                        ? t.getKey() == null
                            || t.getKey().isEmpty()
                            || t.getKey().equals(taint.getKey())
                        : t.getKey() != null
                            && t.getKey().equals(taint.getKey())
                            && java.util.Objects.equals(
                                t.getValue() == null ? "" : t.getValue(),
                                taint.getValue() == null ? "" : taint.getValue())));
  }
}
