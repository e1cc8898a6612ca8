package dev.archipelago.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTest {

  @Test
  void anExpertTaskTravelsThroughThePodEnvironment() {
    Task task = Task.expert(3, 2);

    assertThat(task.toEnv())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(PodEnv.ROLE, "expert", PodEnv.EXPERT, "3", PodEnv.ATTEMPT, "2"));
    assertThat(Task.fromEnv(task.toEnv())).isEqualTo(task);
    assertThat(task.isRetry()).isTrue();
  }

  @Test
  void aRouterTaskHasNoExpertIndex() {
    Task task = Task.of(Role.ROUTER, 1);

    assertThat(task.toEnv()).doesNotContainKey(PodEnv.EXPERT);
    assertThat(Task.fromEnv(task.toEnv())).isEqualTo(task);
    assertThat(task.isRetry()).isFalse();
  }

  @Test
  void aMissingOrMalformedVariableIsABadConfig() {
    assertThatThrownBy(() -> Task.fromEnv(Map.of(PodEnv.ATTEMPT, "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PodEnv.ROLE);
    assertThatThrownBy(() -> Task.fromEnv(Map.of(PodEnv.ROLE, "expert", PodEnv.ATTEMPT, "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expert index");
    assertThatThrownBy(() -> Task.fromEnv(Map.of(PodEnv.ROLE, "chef", PodEnv.ATTEMPT, "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Task.expert(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
