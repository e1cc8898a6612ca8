package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Edits of a live run on the real test cluster: Jobs are never updated (their pod template is
 * immutable), edits reach the next attempt and status says which; a refused child is status.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class SpecChangeIT {
  @Test
  void raisingTheMemoryOfARunningRunAppliesToTheNextAttemptAndSaysSo(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("spec-a", 2, null);
      scenario.startOperator();
      scenario.startTraining("oom", 2, "  failurePolicy: {maxRestarts: 2}\n");
      DurableRunIT.runningPodUids(scenario, "oom", 2);
      Map<String, String> jobs = scenario.expertJobUids("oom");

      scenario.patchSpec("oom", "{\"resources\":{\"memory\":\"6Gi\"}}");

      DDMRun edited =
          scenario.awaitRun(
              "oom",
              "the edit observed and explained",
              r ->
                  r.getStatus().getObservedGeneration() == 2L
                      && RunScenario.conditionMessage(r, ConditionType.RECONCILING)
                          .contains(
                              "spec changed; applies to the next attempt of expert 0, expert 1,"
                                  + " the router"));
      assertThat(RunScenario.isTrue(edited, ConditionType.STALLED)).isFalse();
      assertThat(scenario.expertJobUids("oom")).isEqualTo(jobs);

      Pod zero = scenario.awaitRunningPod("oom", Role.EXPERT, 0, 1);
      cluster.pods().fail(zero.getMetadata().getName(), 1);
      Pod retried = scenario.awaitRunningPod("oom", Role.EXPERT, 0, 2);
      assertThat(retried.getSpec().getContainers().get(0).getResources().getLimits())
          .containsEntry("memory", new Quantity("6Gi"));
      scenario.awaitRun(
          "oom",
          "expert 0 no longer on the old spec",
          r ->
              RunScenario.conditionMessage(r, ConditionType.RECONCILING)
                  .contains("applies to the next attempt of expert 1, the router"));
    }
  }

  @Test
  void raisingTheStepsOfAFinishedRunContinuesEachExpertFromItsCheckpoint(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("spec-b", 2, null);
      scenario.startOperator();
      scenario.startTraining("more", 2, "  inference: {enabled: false}\n");
      TrainerFixture trainer = new TrainerFixture(s3, scenario.run("more"));
      for (int k = 0; k < 2; k++) {
        Pod pod = scenario.awaitRunningPod("more", Role.EXPERT, k, 1);
        trainer.writeExpertCompleted(k, 1, 1000);
        cluster.pods().succeed(pod.getMetadata().getName());
      }
      Pod router = scenario.awaitRunningPod("more", Role.ROUTER, null, 1);
      cluster.pods().succeed(router.getMetadata().getName());
      DDMRun done =
          scenario.awaitRun(
              "more", "Succeeded", r -> r.getStatus().getPhase() == RunPhase.Succeeded);
      assertThat(done.getStatus().getExperts())
          .allSatisfy(e -> assertThat(e.getCompletedSteps()).isEqualTo(1000L));

      scenario.patchSpec("more", "{\"training\":{\"steps\":2500}}");

      for (int k = 0; k < 2; k++) {
        Pod continued = scenario.awaitRunningPod("more", Role.EXPERT, k, 2);
        assertThat(RunScenario.env(continued, PodEnv.ATTEMPT)).isEqualTo("2");
      }
      DDMRun training =
          scenario.awaitRun(
              "more", "Training again", r -> r.getStatus().getPhase() == RunPhase.Training);
      assertThat(training.getStatus().getExperts())
          .allSatisfy(
              e -> {
                assertThat(e.getAttempt()).isEqualTo(2);
                assertThat(e.getRestarts()).isZero();
                assertThat(e.getPhase()).isIn(WorkerPhase.Pending, WorkerPhase.Running);
              });
      assertThat(scenario.jobs("more", Role.EXPERT))
          .filteredOn(j -> j.getMetadata().getName().endsWith("-a2"))
          .hasSize(2)
          .allSatisfy(
              j ->
                  assertThat(j.getMetadata().getAnnotations())
                      .containsEntry("archipelago.dev/target-steps", "2500"));
      assertThat(cluster.client().v1().events().list().getItems())
          .anyMatch(
              e ->
                  "ExpertContinued".equals(e.getReason())
                      && e.getMessage()
                          .contains("attempt 2 continues from the checkpoint at step 1000"));
    }
  }

  @Test
  void anInferenceEditRollsEveryServingReplicaOntoTheNewConfig(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("spec-d", 2, null);
      scenario.startOperator();
      scenario.startTraining("roll", 2, "  inference: {replicas: 2}\n");
      for (int k = 0; k < 2; k++) {
        Pod pod = scenario.awaitRunningPod("roll", Role.EXPERT, k, 1);
        cluster.pods().succeed(pod.getMetadata().getName());
      }
      Pod router = scenario.awaitRunningPod("roll", Role.ROUTER, null, 1);
      cluster.pods().succeed(router.getMetadata().getName());
      scenario.awaitRun("roll", "Serving", DurableRunIT::servingReady);
      String before = configHash(cluster, "roll");

      scenario.patchSpec("roll", "{\"inference\":{\"samplingSteps\":12}}");

      await("the Deployment's pod template carries the new config")
          .atMost(RunScenario.TIMEOUT)
          .until(() -> !before.equals(configHash(cluster, "roll")));
      await("every replica on the new template, Ready again")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () -> {
                var d = cluster.client().apps().deployments().withName("roll-serve").get();
                return d.getStatus() != null
                    && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas())
                    && d.getStatus().getReplicas() == 2
                    && DurableRunIT.servingReady(scenario.run("roll"));
              });
    }
  }

  private static String configHash(TestCluster cluster, String run) {
    return cluster
        .client()
        .apps()
        .deployments()
        .withLabel(dev.archipelago.api.Labels.RUN, run)
        .list()
        .getItems()
        .get(0)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("archipelago.dev/run-config");
  }

  @Test
  void aJobRefusedByAnAdmissionPolicyStallsTheRunWithTheServersMessageUntilThePolicyGoes(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    String policy = "deny-run-refused-" + cluster.namespace();
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("spec-c", 1, null);
      JobAdmissionPolicy.denyJobsOfRun(cluster, policy, "refused");
      scenario.startOperator();
      scenario.createRun("refused", 2, "");

      DDMRun stalled =
          scenario.awaitRun(
              "refused",
              "Stalled with the API server's message",
              r -> RunScenario.isTrue(r, ConditionType.STALLED));
      assertThat(RunScenario.conditionMessage(stalled, ConditionType.STALLED))
          .contains("the API server rejected jobs refused-partition (HTTP 403)")
          .contains(JobAdmissionPolicy.MESSAGE);
      assertThat(stalled.getStatus().getObservedGeneration())
          .isEqualTo(stalled.getMetadata().getGeneration());
      assertThat(cluster.client().v1().events().list().getItems())
          .anyMatch(
              e ->
                  "ChildRejected".equals(e.getReason())
                      && "Warning".equals(e.getType())
                      && "refused".equals(e.getInvolvedObject().getName()));

      JobAdmissionPolicy.unbind(cluster, policy);
      await("the partition Job, once the policy is gone")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () ->
                  cluster.client().batch().v1().jobs().withName("refused-partition").get() != null);
      scenario.awaitRun(
          "refused", "no longer Stalled", r -> !RunScenario.isTrue(r, ConditionType.STALLED));
    } finally {
      JobAdmissionPolicy.delete(cluster, policy);
    }
  }
}
