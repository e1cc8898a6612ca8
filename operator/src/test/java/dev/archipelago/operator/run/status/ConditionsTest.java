package dev.archipelago.operator.run.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.status.StatusCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final List<StatusCondition> BEFORE =
      List.of(new StatusCondition("Ready", "False", 1L, "2026-01-01T00:00:00Z", "Training", "1/4"));

  @Test
  void theTransitionTimeStaysWhenOnlyTheMessageChanges() {
    StatusCondition next =
        Conditions.next(BEFORE, "Ready", "False", "Training", "2/4", 2, "2026-02-02T00:00:00Z");

    assertThat(next.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(next.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void theTransitionTimeMovesWhenTheStatusChanges() {
    StatusCondition next =
        Conditions.next(BEFORE, "Ready", "True", "Serving", "ok", 2, "2026-02-02T00:00:00Z");

    assertThat(next.getLastTransitionTime()).isEqualTo("2026-02-02T00:00:00Z");
  }
}
