package dev.archipelago.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.api.spec.ExitCodeAction;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

  @Test
  void aBadConfigFailsTheExpertAtOnce() {
    assertThat(ExitCodes.defaultAction(ExitCodes.BAD_CONFIG)).isEqualTo(ExitCodeAction.Fail);
    assertThat(ExitCodes.isPermanent(ExitCodes.BAD_CONFIG)).isTrue();
  }

  @Test
  void genericFailuresPreemptionAndSignalsAreRetried() {
    assertThat(ExitCodes.defaultAction(ExitCodes.FAILURE)).isEqualTo(ExitCodeAction.Retry);
    assertThat(ExitCodes.defaultAction(ExitCodes.PREEMPTED)).isEqualTo(ExitCodeAction.Retry);
    assertThat(ExitCodes.defaultAction(137)).isEqualTo(ExitCodeAction.Retry);
    assertThat(ExitCodes.isPreempted(ExitCodes.PREEMPTED)).isTrue();
    assertThat(ExitCodes.isPreempted(ExitCodes.FAILURE)).isFalse();
  }

  @Test
  void successIsNotAFailureToClassify() {
    assertThatThrownBy(() -> ExitCodes.defaultAction(ExitCodes.OK))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
