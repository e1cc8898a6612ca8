package dev.archipelago.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.trainer.job.TrainerEnv;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskExecutionTest {

  @Test
  void theProgressIntervalComesFromTheEnvironmentInSeconds() {
    assertThat(TaskExecution.progressInterval(Map.of())).isEqualTo(Duration.ofSeconds(10));
    assertThat(interval("1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(interval("0.5")).isEqualTo(Duration.ofMillis(500));
    assertThat(interval("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void aBadIntervalFallsBackToTheDefaultRatherThanFailingTheTask() {
    assertThat(interval("soon")).isEqualTo(TaskExecution.PROGRESS_INTERVAL);
    assertThat(interval("-1")).isEqualTo(TaskExecution.PROGRESS_INTERVAL);
  }

  private static Duration interval(String value) {
    return TaskExecution.progressInterval(Map.of(TrainerEnv.PROGRESS_INTERVAL_SECONDS, value));
  }
}
