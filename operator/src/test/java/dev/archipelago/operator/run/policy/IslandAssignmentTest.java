package dev.archipelago.operator.run.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.operator.run.TestRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IslandAssignmentTest {

  @Test
  void spreadsExpertsEvenlyInIslandOrder() {
    Map<Integer, String> a =
        IslandAssignment.assign(TestRuns.run(5, List.of("a", "b"), "").getSpec());

    assertThat(a)
        .containsExactly(
            Map.entry(0, "a"),
            Map.entry(1, "b"),
            Map.entry(2, "a"),
            Map.entry(3, "b"),
            Map.entry(4, "a"));
  }

  @Test
  void explicitPlacementsComeFirstAndTheRestBalanceAroundThem() {
    var spec =
        TestRuns.run(
                4,
                List.of("a", "b"),
                "  placement: [{expert: 0, island: b}, {expert: 1, island: b}]\n")
            .getSpec();

    Map<Integer, String> a = IslandAssignment.assign(spec);

    assertThat(a)
        .containsEntry(0, "b")
        .containsEntry(1, "b")
        .containsEntry(2, "a")
        .containsEntry(3, "a");
  }
}
