package dev.archipelago.operator.run.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ContainerTerminationTest {

  @Test
  void namesTheOomKillAndTheLimitItCrossed() {
    JobFailure failure =
        new JobFailure(
            FailureKind.RETRYABLE, OptionalInt.of(137), "BackoffLimitExceeded: exit 137");

    JobFailure explained = failure.explainedBy(ended("OOMKilled", 137));

    assertThat(explained.detail())
        .isEqualTo(
            "container trainer OOMKilled (exit 137) above its memory limit of 2Gi; raise"
                + " spec.resources.memory; BackoffLimitExceeded: exit 137");
    assertThat(explained.kind()).isEqualTo(FailureKind.RETRYABLE);
    assertThat(explained.exitCode()).isEqualTo(OptionalInt.of(137));
  }

  @Test
  void quotesTheLastLineTheTrainerLeftInItsTerminationMessage() {
    JobFailure failure = new JobFailure(FailureKind.PERMANENT, OptionalInt.of(2), "exit 2");
    Pod pod = ended("Error", 2);
    pod.getStatus()
        .getContainerStatuses()
        .get(0)
        .getState()
        .getTerminated()
        .setMessage("INFO starting\nERROR bad config: 1 GPU held, the engine sees none\n");

    assertThat(failure.explainedBy(pod).detail())
        .isEqualTo(
            "container trainer exited 2: ERROR bad config: 1 GPU held, the engine sees none;"
                + " exit 2");
  }

  @Test
  void addsNothingForOtherEndingsOrNoPod() {
    JobFailure failure = new JobFailure(FailureKind.RETRYABLE, OptionalInt.of(1), "exit 1");

    assertThat(failure.explainedBy(ended("Error", 1))).isSameAs(failure);
    assertThat(failure.explainedBy(ended("Completed", 0))).isSameAs(failure);
    assertThat(failure.explainedBy(null)).isSameAs(failure);
    assertThat(failure.explainedBy(new PodBuilder().withNewSpec().endSpec().build()))
        .isSameAs(failure);
  }

  private static Pod ended(String reason, int exitCode) {
    return new PodBuilder()
        .withNewSpec()
        .addNewContainer()
        .withName("trainer")
        .withNewResources()
        .addToLimits("memory", new Quantity("2Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("trainer")
        .withNewState()
        .withNewTerminated()
        .withReason(reason)
        .withExitCode(exitCode)
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
