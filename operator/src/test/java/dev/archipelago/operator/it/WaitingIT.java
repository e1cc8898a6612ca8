package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run that waits says why, in the real scheduler's words, and stalls once the wait passes
 * spec.failurePolicy.pendingTimeoutSeconds.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class WaitingIT {
  @Test
  void anExpertThatCannotBeScheduledSaysWhyThenStallsTheRunAfterThePendingTimeout(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      // The island's nodes have 8 GPUs each; the experts ask for 16.
      scenario.island("wait-a", 1, null);
      scenario.startOperator();
      scenario.createRun("big", 2, "  failurePolicy: {pendingTimeoutSeconds: 8}\n");
      scenario.patchSpec("big", "{\"resources\":{\"gpus\":16}}");
      scenario.awaitRun(
          "big", "the edit observed", r -> r.getStatus().getObservedGeneration() == 2L);
      scenario.completePartition(scenario.run("big"), 2);

      DDMRun waiting =
          scenario.awaitRun(
              "big",
              "expert 0 says why it waits",
              r ->
                  scenario.expert(r, 0).getMessage() != null
                      && scenario.expert(r, 0).getMessage().startsWith("waiting to start:"));
      assertThat(scenario.expert(waiting, 0).getPhase()).isEqualTo(WorkerPhase.Pending);
      assertThat(scenario.expert(waiting, 0).getMessage())
          .contains("Unschedulable")
          .contains("Insufficient nvidia.com/gpu");

      DDMRun stalled =
          scenario.awaitRun(
              "big",
              "Stalled after the timeout",
              r -> RunScenario.isTrue(r, ConditionType.STALLED));
      assertThat(RunScenario.conditionMessage(stalled, ConditionType.STALLED))
          .contains("expert 0 has not started in")
          .contains("(spec.failurePolicy.pendingTimeoutSeconds=8): Unschedulable")
          .contains("Insufficient nvidia.com/gpu");
    }
  }
}
