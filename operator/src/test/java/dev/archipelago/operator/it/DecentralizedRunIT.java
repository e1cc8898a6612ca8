package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole flow of a run on the real test cluster, the trainer played by a contract fixture. */
@ExtendWith(TestClusterExtension.class)
class DecentralizedRunIT {
  private static EmbeddedS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new EmbeddedS3();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  void eightExpertsOverFourIslandsTrainInIsolationAndTheRunEndsServing(TestCluster cluster)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario
          .island("isl-a", 2, null)
          .island("isl-b", 2, null)
          .island("isl-c", 2, null)
          .island("isl-d", 2, null);
      scenario.startOperator();
      DDMRun run = scenario.createRun("eight", 8, "");

      scenario.awaitRun(
          "eight", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("eight"), 8);

      TrainerFixture trainer = new TrainerFixture(s3, scenario.run("eight"));
      Map<Integer, Pod> pods = new java.util.TreeMap<>();
      for (int k = 0; k < 8; k++) {
        pods.put(k, scenario.awaitRunningPod("eight", Role.EXPERT, k, 1));
      }
      // Each expert runs on a node of its own island, spread evenly: two experts per island.
      Map<String, Long> perIsland =
          pods.values().stream()
              .collect(
                  Collectors.groupingBy(
                      p -> p.getMetadata().getLabels().get(Labels.ISLAND), Collectors.counting()));
      assertThat(perIsland).hasSize(4).allSatisfy((island, n) -> assertThat(n).isEqualTo(2L));
      for (Pod pod : pods.values()) {
        String island = pod.getMetadata().getLabels().get(Labels.ISLAND);
        assertThat(scenario.nodesByIsland.get(island)).contains(pod.getSpec().getNodeName());
        assertIsolated(pod);
      }
      for (int k = 0; k < 8; k++) {
        trainer.writeExpertProgress(k, 1, 100 + k, 1000, 100L);
      }
      DDMRun progressing =
          scenario.awaitRun(
              "eight",
              "all 8 experts report progress",
              r ->
                  r.getStatus().getExperts().size() == 8
                      && r.getStatus().getExperts().stream()
                          .allMatch(e -> e.getStep() != null && e.getStep() >= 100));
      assertThat(progressing.getStatus().getClusterSizes()).hasSize(8);
      assertThat(progressing.getStatus().getExperts())
          .allSatisfy(
              e -> {
                assertThat(e.getPhase()).isEqualTo(WorkerPhase.Running);
                assertThat(e.getNode()).isNotBlank();
                assertThat(e.getLatestCheckpoint()).isEqualTo(100L);
                assertThat(e.getTotalSteps()).isEqualTo(1000L);
              });

      for (Pod pod : pods.values()) {
        cluster.pods().succeed(pod.getMetadata().getName());
      }
      Pod router = scenario.awaitRunningPod("eight", Role.ROUTER, null, 1);
      cluster.pods().succeed(router.getMetadata().getName());

      DDMRun serving =
          scenario.awaitRun(
              "eight",
              "Serving and Ready",
              r -> r.getStatus().getPhase() == RunPhase.Serving && isTrue(r, ConditionType.READY));
      assertThat(serving.getStatus().getExpertsSummary()).isEqualTo("8/8");
      assertThat(serving.getStatus().getInference().getReady()).isTrue();
      assertThat(isTrue(serving, ConditionType.RECONCILING)).isFalse();
      assertThat(isTrue(serving, ConditionType.STALLED)).isFalse();
      assertThat(serving.getStatus().getObservedGeneration())
          .isEqualTo(serving.getMetadata().getGeneration());
      List<Deployment> deployments =
          cluster.client().apps().deployments().withLabel(Labels.RUN, "eight").list().getItems();
      assertThat(deployments).hasSize(1);
      assertThat(
              deployments
                  .get(0)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getReadinessProbe()
                  .getHttpGet()
                  .getPath())
          .isEqualTo("/readyz");
      assertThat(cluster.client().services().withName("eight-serve").get()).isNotNull();
      assertThat(cluster.client().v1().events().list().getItems())
          .anyMatch(
              e ->
                  "PhaseServing".equals(e.getReason())
                      && "eight".equals(e.getInvolvedObject().getName()));
      assertThat(run.getMetadata().getUid()).isEqualTo(serving.getMetadata().getUid());
    }
  }

  @Test
  void aFailedExpertAloneGetsASecondAttemptThatResumes(TestCluster cluster) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 2, null).island("isl-b", 2, null).island("isl-c", 2, null);
      scenario.startOperator();
      scenario.createRun("retry", 8, "  failurePolicy: {maxRestarts: 2}\n");
      scenario.awaitRun(
          "retry", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("retry"), 8);
      for (int k = 0; k < 8; k++) {
        scenario.awaitRunningPod("retry", Role.EXPERT, k, 1);
      }
      Map<String, String> uidsBefore = expertJobUids(scenario, "retry");

      Pod three = scenario.awaitRunningPod("retry", Role.EXPERT, 3, 1);
      cluster.pods().fail(three.getMetadata().getName(), 1);

      Pod retried = scenario.awaitRunningPod("retry", Role.EXPERT, 3, 2);
      assertThat(env(retried, PodEnv.ATTEMPT)).isEqualTo("2");
      DDMRun after =
          scenario.awaitRun(
              "retry", "expert 3 on attempt 2", r -> scenario.expert(r, 3).getAttempt() == 2);
      assertThat(scenario.expert(after, 3).getRestarts()).isEqualTo(1);
      assertThat(scenario.expert(after, 3).getMessage())
          .contains("attempt 2 resumes from the latest checkpoint");
      Map<String, String> uidsAfter = expertJobUids(scenario, "retry");
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
  void losingTheNodeUnderAnExpertStartsANewAttemptWithoutCountingARestart(TestCluster cluster)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 2, null).island("isl-b", 2, null).island("isl-c", 2, null);
      scenario.startOperator();
      scenario.createRun("disrupt", 6, "");
      scenario.awaitRun(
          "disrupt", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("disrupt"), 6);
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
  void aPermanentExitCodeStallsTheRunNamingTheExpert(TestCluster cluster) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null).island("isl-c", 1, null);
      scenario.startOperator();
      scenario.createRun(
          "perm",
          3,
          "  failurePolicy: {maxRestarts: 5, exitCodeRules: [{action: Fail, exitCodes: [42]}]}\n");
      scenario.awaitRun(
          "perm", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("perm"), 3);
      Pod one = scenario.awaitRunningPod("perm", Role.EXPERT, 1, 1);

      cluster.pods().fail(one.getMetadata().getName(), 42);

      DDMRun stalled = scenario.awaitRun("perm", "Stalled", r -> isTrue(r, ConditionType.STALLED));
      assertThat(stalled.getStatus().getPhase()).isEqualTo(RunPhase.Failed);
      assertThat(condition(stalled, ConditionType.STALLED))
          .contains("expert 1")
          .contains("exit code 42");
      assertThat(isTrue(stalled, ConditionType.READY)).isFalse();
      assertThat(scenario.expert(stalled, 1).getPhase()).isEqualTo(WorkerPhase.Failed);
      assertThat(scenario.jobs("perm", Role.EXPERT))
          .extracting(j -> j.getMetadata().getName())
          .doesNotContain("perm-expert-1-a2");
      assertThat(scenario.expert(stalled, 0).getPhase()).isEqualTo(WorkerPhase.Running);
    }
  }

  @Test
  void suspendStopsPodsResumeRestartsThemAndAnOperatorRestartDuplicatesNothing(TestCluster cluster)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 2, null).island("isl-b", 2, null).island("isl-c", 2, null);
      scenario.startOperator();
      scenario.createRun("pause", 3, "");
      scenario.awaitRun(
          "pause", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("pause"), 3);
      for (int k = 0; k < 3; k++) {
        scenario.awaitRunningPod("pause", Role.EXPERT, k, 1);
      }
      Map<String, String> uids = expertJobUids(scenario, "pause");

      cluster
          .client()
          .resources(DDMRun.class)
          .withName("pause")
          .edit(
              r -> {
                r.getSpec().setSuspend(true);
                return r;
              });
      scenario.awaitRun("pause", "Suspended", r -> r.getStatus().getPhase() == RunPhase.Suspended);
      org.awaitility.Awaitility.await("expert pods gone")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () ->
                  cluster
                      .client()
                      .pods()
                      .withLabel(Labels.RUN, "pause")
                      .withLabel(Labels.ROLE, "expert")
                      .list()
                      .getItems()
                      .stream()
                      .noneMatch(
                          p ->
                              "Running".equals(p.getStatus().getPhase())
                                  && p.getMetadata().getDeletionTimestamp() == null));

      scenario.stopOperator();
      cluster
          .client()
          .resources(DDMRun.class)
          .withName("pause")
          .edit(
              r -> {
                r.getSpec().setSuspend(false);
                return r;
              });
      scenario.startOperator();

      for (int k = 0; k < 3; k++) {
        scenario.awaitRunningPod("pause", Role.EXPERT, k, 1);
      }
      DDMRun resumed =
          scenario.awaitRun(
              "pause",
              "Training again",
              r ->
                  r.getStatus().getPhase() == RunPhase.Training
                      && r.getStatus()
                          .getObservedGeneration()
                          .equals(r.getMetadata().getGeneration()));
      // Same Jobs by name and attempt (recreated after the suspension), none duplicated.
      assertThat(expertJobUids(scenario, "pause")).containsOnlyKeys(uids.keySet());
      assertThat(scenario.jobs("pause", Role.EXPERT)).hasSize(3);
      assertThat(scenario.jobs("pause", Role.PARTITION)).hasSize(1);
      assertThat(scenario.jobs("pause", Role.ROUTER)).hasSize(1);
      assertThat(resumed.getStatus().getExperts())
          .allSatisfy(e -> assertThat(e.getRestarts()).isZero());
    }
  }

  @Test
  void anOperatorRestartedOnALostStatusRebuildsItFromTheClusterAndStorage(TestCluster cluster)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null).island("isl-c", 1, null);
      scenario.startOperator();
      scenario.createRun("amnesia", 2, "");
      scenario.awaitRun(
          "amnesia", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("amnesia"), 2);
      Pod zero = scenario.awaitRunningPod("amnesia", Role.EXPERT, 0, 1);
      scenario.awaitRunningPod("amnesia", Role.EXPERT, 1, 1);
      cluster.pods().fail(zero.getMetadata().getName(), 1);
      scenario.awaitRunningPod("amnesia", Role.EXPERT, 0, 2);
      new TrainerFixture(s3, scenario.run("amnesia")).writeExpertProgress(1, 1, 300, 1000, 300L);
      scenario.awaitRun(
          "amnesia",
          "progress seen",
          r -> Long.valueOf(300).equals(scenario.expert(r, 1).getStep()));

      scenario.stopOperator();
      cluster
          .client()
          .resources(DDMRun.class)
          .withName("amnesia")
          .editStatus(
              r -> {
                r.setStatus(new dev.archipelago.api.status.DDMRunStatus());
                return r;
              });
      assertThat(scenario.run("amnesia").getStatus().getExperts()).isEmpty();
      scenario.startOperator();

      DDMRun rebuilt =
          scenario.awaitRun(
              "amnesia",
              "status rebuilt",
              r ->
                  r.getStatus().getExperts().size() == 2
                      && scenario.expert(r, 1).getStep() != null
                      && scenario.expert(r, 0).getPhase() == WorkerPhase.Running);
      assertThat(scenario.expert(rebuilt, 0).getAttempt()).isEqualTo(2);
      assertThat(scenario.expert(rebuilt, 0).getRestarts()).isEqualTo(1);
      assertThat(scenario.expert(rebuilt, 0).getMessage()).contains("attempt 1 ended");
      assertThat(scenario.expert(rebuilt, 1).getStep()).isEqualTo(300L);
      assertThat(scenario.expert(rebuilt, 1).getLatestCheckpoint()).isEqualTo(300L);
      assertThat(rebuilt.getStatus().getClusterSizes()).hasSize(2);
      assertThat(scenario.jobs("amnesia", Role.EXPERT))
          .extracting(j -> j.getMetadata().getName())
          .containsExactlyInAnyOrder(
              "amnesia-expert-0-a1", "amnesia-expert-0-a2", "amnesia-expert-1-a1");
    }
  }

  @Test
  void deletingARunGarbageCollectsEveryChild(TestCluster cluster) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null).island("isl-c", 1, null);
      scenario.startOperator();
      scenario.createRun("gone", 3, "");
      scenario.awaitRun(
          "gone", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("gone"), 3);
      for (int k = 0; k < 3; k++) {
        scenario.awaitRunningPod("gone", Role.EXPERT, k, 1);
      }
      assertThat(cluster.client().configMaps().withLabel(Labels.RUN, "gone").list().getItems())
          .hasSize(1);
      assertThat(
              cluster
                  .client()
                  .network()
                  .v1()
                  .networkPolicies()
                  .withLabel(Labels.RUN, "gone")
                  .list()
                  .getItems())
          .hasSize(1);

      cluster.client().resources(DDMRun.class).withName("gone").delete();

      org.awaitility.Awaitility.await("children collected")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () ->
                  cluster
                          .client()
                          .batch()
                          .v1()
                          .jobs()
                          .withLabel(Labels.RUN, "gone")
                          .list()
                          .getItems()
                          .isEmpty()
                      && cluster
                          .client()
                          .configMaps()
                          .withLabel(Labels.RUN, "gone")
                          .list()
                          .getItems()
                          .isEmpty()
                      && cluster
                          .client()
                          .network()
                          .v1()
                          .networkPolicies()
                          .withLabel(Labels.RUN, "gone")
                          .list()
                          .getItems()
                          .isEmpty()
                      && cluster
                          .client()
                          .pods()
                          .withLabel(Labels.RUN, "gone")
                          .list()
                          .getItems()
                          .isEmpty());
    }
  }

  private static Map<String, String> expertJobUids(RunScenario scenario, String run) {
    return scenario.jobs(run, Role.EXPERT).stream()
        .collect(Collectors.toMap(j -> j.getMetadata().getName(), j -> j.getMetadata().getUid()));
  }

  private static void assertIsolated(Pod pod) {
    var spec = pod.getSpec();
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    var c = spec.getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                PodEnv.SECRET_ACCESS_KEY.equals(e.getName())
                    && e.getValue() == null
                    && e.getValueFrom().getSecretKeyRef().getName().equals("s3"));
  }

  private static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  static boolean isTrue(DDMRun run, String type) {
    return run.getStatus().getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String condition(DDMRun run, String type) {
    return run.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getMessage();
  }
}
