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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the operator handles a failing expert: a retry of that expert only, a free new attempt after
 * a disruption, and a stalled run after a permanent exit code.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class ExpertFailureIT {
  @Test
  void aFailedExpertAloneGetsASecondAttemptThatResumes(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 2, null).island("isl-b", 2, null).island("isl-c", 2, null);
      scenario.startOperator();
      scenario.startTraining("retry", 8, "  failurePolicy: {maxRestarts: 2}\n");
      for (int k = 0; k < 8; k++) {
        scenario.awaitRunningPod("retry", Role.EXPERT, k, 1);
      }
      Map<String, String> uidsBefore = scenario.expertJobUids("retry");

      Pod three = scenario.awaitRunningPod("retry", Role.EXPERT, 3, 1);
      cluster.pods().fail(three.getMetadata().getName(), 1);

      Pod retried = scenario.awaitRunningPod("retry", Role.EXPERT, 3, 2);
      assertThat(RunScenario.env(retried, PodEnv.ATTEMPT)).isEqualTo("2");
      DDMRun after =
          scenario.awaitRun(
              "retry", "expert 3 on attempt 2", r -> scenario.expert(r, 3).getAttempt() == 2);
      assertThat(scenario.expert(after, 3).getRestarts()).isEqualTo(1);
      assertThat(scenario.expert(after, 3).getMessage())
          .contains("attempt 2 resumes from the latest checkpoint");
      Map<String, String> uidsAfter = scenario.expertJobUids("retry");
      // The seven others and the failed attempt (kept for its logs) are untouched; one Job is new.
      assertThat(uidsAfter)
          .containsAllEntriesOf(uidsBefore)
          .containsKey("retry-expert-3-a2")
          .hasSize(9);
      for (int k = 0; k < 8; k++) {
        if (k != 3) {
          assertThat(scenario.expert(after, k).getAttempt()).isEqualTo(1);
          assertThat(scenario.expert(after, k).getRestarts()).isZero();
        }
      }
      assertThat(cluster.client().v1().events().list().getItems())
          .anyMatch(
              e ->
                  "ExpertRestarted".equals(e.getReason())
                      && e.getMessage().startsWith("expert 3 "));
    }
  }

  @Test
  void losingTheNodeUnderAnExpertStartsANewAttemptWithoutCountingARestart(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 2, null).island("isl-b", 2, null).island("isl-c", 2, null);
      scenario.startOperator();
      scenario.startTraining("disrupt", 6, "");
      Pod five = scenario.awaitRunningPod("disrupt", Role.EXPERT, 5, 1);

      cluster.client().nodes().withName(five.getSpec().getNodeName()).delete();

      scenario.awaitRunningPod("disrupt", Role.EXPERT, 5, 2);
      DDMRun after =
          scenario.awaitRun(
              "disrupt", "expert 5 rescheduled", r -> scenario.expert(r, 5).getAttempt() == 2);
      assertThat(scenario.expert(after, 5).getRestarts()).isZero();
      assertThat(scenario.expert(after, 5).getDisruptions()).isEqualTo(1);
      assertThat(scenario.expert(after, 5).getMessage()).contains("disruption");
    }
  }

  @Test
  void aPermanentExitCodeStallsTheRunNamingTheExpert(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null).island("isl-c", 1, null);
      scenario.startOperator();
      scenario.startTraining(
          "perm",
          3,
          "  failurePolicy: {maxRestarts: 5, exitCodeRules: [{action: Fail, exitCodes: [42]}]}\n");
      Pod one = scenario.awaitRunningPod("perm", Role.EXPERT, 1, 1);

      cluster.pods().fail(one.getMetadata().getName(), 42);

      DDMRun stalled =
          scenario.awaitRun("perm", "Stalled", r -> RunScenario.isTrue(r, ConditionType.STALLED));
      assertThat(stalled.getStatus().getPhase()).isEqualTo(RunPhase.Failed);
      assertThat(RunScenario.conditionMessage(stalled, ConditionType.STALLED))
          .contains("expert 1")
          .contains("exit code 42");
      assertThat(RunScenario.isTrue(stalled, ConditionType.READY)).isFalse();
      assertThat(scenario.expert(stalled, 1).getPhase()).isEqualTo(WorkerPhase.Failed);
      assertThat(scenario.jobs("perm", Role.EXPERT))
          .extracting(j -> j.getMetadata().getName())
          .doesNotContain("perm-expert-1-a2");
      assertThat(scenario.expert(stalled, 0).getPhase()).isEqualTo(WorkerPhase.Running);
    }
  }
}
