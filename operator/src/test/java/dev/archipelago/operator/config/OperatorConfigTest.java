package dev.archipelago.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchAllNamespacesAndPollEveryFifteenSeconds() {
    OperatorConfig c = OperatorConfig.defaults();

    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.progressPollInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.leaderElection()).isFalse();
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig c =
        OperatorConfig.fromEnv(
            Map.of(
                "ARCHIPELAGO_WATCH_NAMESPACES", "team-a, team-b",
                "ARCHIPELAGO_PROGRESS_POLL_INTERVAL", "PT30S",
                "ARCHIPELAGO_TRAINER_IMAGE", "registry.example/trainer:1",
                "ARCHIPELAGO_HTTP_PORT", "9090",
                "ARCHIPELAGO_LEADER_ELECTION", "true"));

    assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(c.progressPollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.defaultTrainerImage()).isEqualTo("registry.example/trainer:1");
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.leaderElection()).isTrue();
  }

  @Test
  void aBadValueIsRejectedNamingTheVariable() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("ARCHIPELAGO_PROGRESS_POLL_INTERVAL", "0")))
        .hasMessageContaining("ARCHIPELAGO_PROGRESS_POLL_INTERVAL");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("ARCHIPELAGO_HTTP_PORT", "70000")))
        .hasMessageContaining("ARCHIPELAGO_HTTP_PORT");
  }
}
