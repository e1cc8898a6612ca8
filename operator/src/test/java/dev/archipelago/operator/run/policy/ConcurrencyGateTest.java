package dev.archipelago.operator.run.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {
  private static final Map<Integer, String> ASSIGNMENT = Map.of(0, "a", 1, "a", 2, "a", 3, "b");

  @Test
  void admitsAtMostTheIslandsLimitLowestExpertFirst() {
    Set<Integer> admitted =
        ConcurrencyGate.admitted(ASSIGNMENT, Set.of(0, 1, 2, 3), Set.of(), Map.of("a", 2));

    assertThat(admitted).containsExactlyInAnyOrder(0, 1, 3);
  }

  @Test
  void expertsThatAlreadyHoldAJobKeepItEvenWhenTheLimitShrank() {
    Set<Integer> admitted =
        ConcurrencyGate.admitted(ASSIGNMENT, Set.of(0, 1, 2), Set.of(1, 2), Map.of("a", 1));

    assertThat(admitted).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void aFinishedExpertFreesItsSlot() {
    Set<Integer> admitted =
        ConcurrencyGate.admitted(ASSIGNMENT, Set.of(1, 2), Set.of(1), Map.of("a", 2));

    assertThat(admitted).containsExactlyInAnyOrder(1, 2);
  }
}
