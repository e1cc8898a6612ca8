package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Failed expert is not a dead end, on the real test cluster: raising maxRestarts re-opens one
 * that used them up, and changing retryNonce retries one that failed with a permanent exit code.
 * The new attempt resumes (attempt above 1) and the run leaves Stalled.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class RetryFailedExpertsIT {
  @Test
  void raisingMaxRestartsOrChangingTheRetryNonceGivesFailedExpertsAnotherAttempt(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("retry-a", 2, null);
      scenario.startOperator();
      scenario.startTraining(
          "again",
          2,
          "  failurePolicy: {maxRestarts: 0, exitCodeRules: [{action: Fail, exitCodes: [42]}]}\n");
      Pod zero = scenario.awaitRunningPod("again", Role.EXPERT, 0, 1);
      Pod one = scenario.awaitRunningPod("again", Role.EXPERT, 1, 1);
      cluster.pods().fail(zero.getMetadata().getName(), 1);
      cluster.pods().fail(one.getMetadata().getName(), 42);
      DDMRun failed =
          scenario.awaitRun(
              "again",
              "both experts Failed",
              r ->
                  scenario.expert(r, 0).getPhase() == WorkerPhase.Failed
                      && scenario.expert(r, 1).getPhase() == WorkerPhase.Failed);
      assertThat(scenario.expert(failed, 0).getFailureReason()).isEqualTo("RestartsExhausted");
      assertThat(scenario.expert(failed, 1).getFailureReason()).isEqualTo("PermanentExitCode");
      assertThat(failed.getStatus().getPhase()).isEqualTo(RunPhase.Failed);

      patch(scenario, "{\"maxRestarts\":1}");

      Pod zeroAgain = scenario.awaitRunningPod("again", Role.EXPERT, 0, 2);
      assertThat(RunScenario.env(zeroAgain, PodEnv.ATTEMPT)).isEqualTo("2");
      DDMRun reopened =
          scenario.awaitRun(
              "again", "expert 0 re-opened", r -> scenario.expert(r, 0).getAttempt() == 2);
      assertRetriedEvent(
          cluster,
          "expert 0 spec.failurePolicy.maxRestarts raised to 1: attempt 2 resumes from the latest"
              + " checkpoint");
      // A permanent exit code is not re-opened by more restarts.
      assertThat(scenario.expert(reopened, 1).getPhase()).isEqualTo(WorkerPhase.Failed);

      patch(scenario, "{\"retryNonce\":1}");

      scenario.awaitRunningPod("again", Role.EXPERT, 1, 2);
      DDMRun retried =
          scenario.awaitRun(
              "again",
              "no expert Failed, the run no longer Stalled",
              r ->
                  r.getStatus().getExperts().stream()
                          .noneMatch(e -> e.getPhase() == WorkerPhase.Failed)
                      && !RunScenario.isTrue(r, ConditionType.STALLED)
                      && Long.valueOf(1).equals(r.getStatus().getObservedRetryNonce()));
      assertThat(scenario.expert(retried, 1).getAttempt()).isEqualTo(2);
      assertThat(scenario.expert(retried, 1).getRestarts()).isZero();
      assertThat(scenario.expert(retried, 0).getAttempt()).isEqualTo(2);
      assertThat(retried.getStatus().getPhase()).isEqualTo(RunPhase.Training);
      assertRetriedEvent(
          cluster,
          "expert 1 spec.failurePolicy.retryNonce changed to 1: attempt 2 resumes from the latest"
              + " checkpoint");
    }
  }

  private static void assertRetriedEvent(TestCluster cluster, String message) {
    assertThat(cluster.client().v1().events().list().getItems())
        .anyMatch(e -> "ExpertRetried".equals(e.getReason()) && message.equals(e.getMessage()));
  }

  private static void patch(RunScenario scenario, String failurePolicyJson) {
    scenario.patchSpec("again", "{\"failurePolicy\":" + failurePolicyJson + "}");
  }
}
