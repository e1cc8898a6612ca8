package dev.archipelago.operator.run.status;

import dev.archipelago.api.status.StatusCondition;
import java.util.List;
import java.util.Objects;

/**
 * kstatus-style conditions: each carries the generation it was computed from, and its
 * lastTransitionTime moves only when its status really changes (a new reason or message alone does
 * not move it), so that an unchanged world produces an identical status and no write.
 */
public final class Conditions {
  private Conditions() {}

  public static StatusCondition next(
      List<StatusCondition> previous,
      String type,
      String status,
      String reason,
      String message,
      long generation,
      String now) {
    StatusCondition old =
        previous == null
            ? null
            : previous.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String since =
        old != null
                && Objects.equals(old.getStatus(), status)
                && old.getLastTransitionTime() != null
            ? old.getLastTransitionTime()
            : now;
    return new StatusCondition(type, status, generation, since, reason, message);
  }
}
