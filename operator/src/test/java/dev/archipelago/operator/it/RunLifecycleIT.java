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
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run's whole life on the real test cluster, the trainer played by a contract fixture: training
 * on isolated islands to serving, suspend and resume, operator restarts, deletion.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class RunLifecycleIT {
  @Test
  void eightExpertsOverFourIslandsTrainInIsolationAndTheRunEndsServing(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario
          .island("isl-a", 2, null)
          .island("isl-b", 2, null)
          .island("isl-c", 2, null)
          .island("isl-d", 2, null);
      scenario.startOperator();
      DDMRun run = scenario.startTraining("eight", 8, "");

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
                assertThat(e.getDataWaitFraction()).isEqualTo(TrainerFixture.DATA_WAIT_FRACTION);
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
              r ->
                  r.getStatus().getPhase() == RunPhase.Serving
                      && RunScenario.isTrue(r, ConditionType.READY));
      assertThat(serving.getStatus().getExpertsSummary()).isEqualTo("8/8");
      assertThat(serving.getStatus().getInference().getReady()).isTrue();
      assertThat(RunScenario.isTrue(serving, ConditionType.RECONCILING)).isFalse();
      assertThat(RunScenario.isTrue(serving, ConditionType.STALLED)).isFalse();
      assertThat(serving.getStatus().getObservedGeneration())
          .isEqualTo(serving.getMetadata().getGeneration());
      List<Deployment> deployments =
          cluster.client().apps().deployments().withLabel(Labels.RUN, "eight").list().getItems();
      assertThat(deployments).hasSize(1);
      var server = deployments.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      // Probes go to serve's own probe port with a timeout; a startup probe covers weight loading.
      assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("probes");
      assertThat(server.getLivenessProbe().getTimeoutSeconds()).isEqualTo(2);
      assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(server.getStartupProbe().getFailureThreshold() * 5).isGreaterThanOrEqualTo(1800);
      assertThat(server.getPorts())
          .extracting(p -> p.getName() + ":" + p.getContainerPort())
          .containsExactly("http:8080", "probes:8081");
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
  void suspendStopsPodsResumeRestartsThemAndAnOperatorRestartDuplicatesNothing(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 2, null).island("isl-b", 2, null).island("isl-c", 2, null);
      scenario.startOperator();
      scenario.startTraining("pause", 3, "");
      for (int k = 0; k < 3; k++) {
        scenario.awaitRunningPod("pause", Role.EXPERT, k, 1);
      }
      Map<String, String> uids = scenario.expertJobUids("pause");

      scenario.setSuspend("pause", true);
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
      scenario.setSuspend("pause", false);
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
      assertThat(scenario.expertJobUids("pause")).containsOnlyKeys(uids.keySet());
      assertThat(scenario.jobs("pause", Role.EXPERT)).hasSize(3);
      assertThat(scenario.jobs("pause", Role.PARTITION)).hasSize(1);
      assertThat(scenario.jobs("pause", Role.ROUTER)).hasSize(1);
      assertThat(resumed.getStatus().getExperts())
          .allSatisfy(e -> assertThat(e.getRestarts()).isZero());
    }
  }

  @Test
  void anOperatorRestartedOnALostStatusRebuildsItFromTheClusterAndStorage(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null).island("isl-c", 1, null);
      scenario.startOperator();
      scenario.startTraining("amnesia", 2, "");
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
  void distributedServingGivesEachExpertADeploymentItsReplicasAndTheServiceTheRouterCalls(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null);
      scenario.startOperator();
      scenario.startTraining(
          "dist",
          2,
          "  inference:\n"
              + "    topology: distributed\n"
              + "    expertReplicas: 2\n"
              + "    batching: {maxBatch: 16, maxWaitMilliseconds: 5}\n"
              + "    precision: fp16\n");
      for (int k = 0; k < 2; k++) {
        Pod pod = scenario.awaitRunningPod("dist", Role.EXPERT, k, 1);
        cluster.pods().succeed(pod.getMetadata().getName());
      }
      Pod router = scenario.awaitRunningPod("dist", Role.ROUTER, null, 1);
      cluster.pods().succeed(router.getMetadata().getName());

      scenario.awaitRun(
          "dist",
          "Serving and Ready",
          r ->
              r.getStatus().getPhase() == RunPhase.Serving
                  && RunScenario.isTrue(r, ConditionType.READY));
      List<Deployment> deployments =
          cluster.client().apps().deployments().withLabel(Labels.RUN, "dist").list().getItems();
      assertThat(deployments).hasSize(3);
      Deployment routerDeployment =
          deployments.stream().filter(d -> args(d).contains("router")).findFirst().orElseThrow();
      List<String> args = args(routerDeployment);
      String[] urls = args.get(args.indexOf("--expert-urls") + 1).split(",");
      assertThat(urls).hasSize(2);
      for (int k = 0; k < 2; k++) {
        String host = java.net.URI.create(urls[k]).getHost();
        io.fabric8.kubernetes.api.model.Service service =
            cluster.client().services().withName(host).get();
        assertThat(service).as("Service " + host).isNotNull();
        Deployment expert = cluster.client().apps().deployments().withName(host).get();
        assertThat(args(expert))
            .containsSubsequence("--expert", Integer.toString(k))
            .containsSubsequence("--max-batch", "16", "--batch-wait-ms", "5")
            .containsSubsequence("--precision", "fp16");
        assertThat(expert.getSpec().getReplicas()).isEqualTo(2);
        // Each expert Deployment has a disruption budget over exactly its pods.
        PodDisruptionBudget budget =
            cluster.client().policy().v1().podDisruptionBudget().withName(host).get();
        assertThat(budget).as("PodDisruptionBudget " + host).isNotNull();
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
            .isEqualTo(expert.getSpec().getSelector().getMatchLabels());
        // The Service selects the expert's pods, and only them.
        List<Pod> selected =
            cluster.client().pods().withLabels(service.getSpec().getSelector()).list().getItems();
        assertThat(selected)
            .isNotEmpty()
            .allSatisfy(
                p ->
                    assertThat(p.getMetadata().getOwnerReferences().get(0).getName())
                        .startsWith(host));
      }
      assertThat(cluster.client().services().withName("dist-serve").get()).isNotNull();
      assertThat(routerDeployment.getSpec().getReplicas()).isEqualTo(1);
      assertThat(
              cluster
                  .client()
                  .policy()
                  .v1()
                  .podDisruptionBudget()
                  .withName(routerDeployment.getMetadata().getName())
                  .get())
          .as("the router's PodDisruptionBudget")
          .isNotNull();
    }
  }

  private static List<String> args(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  @Test
  void deletingARunGarbageCollectsEveryChild(TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null).island("isl-c", 1, null);
      scenario.startOperator();
      scenario.startTraining("gone", 3, "");
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

  private static void assertIsolated(Pod pod) {
    var spec = pod.getSpec();
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    var c = spec.getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    // The image's uid, a grace period that fits a checkpoint, Guaranteed QoS, a writable /tmp.
    assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(120L);
    assertThat(c.getResources().getLimits()).isEqualTo(c.getResources().getRequests());
    assertThat(c.getVolumeMounts()).anyMatch(m -> "/tmp".equals(m.getMountPath()));
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                PodEnv.SECRET_ACCESS_KEY.equals(e.getName())
                    && e.getValue() == null
                    && e.getValueFrom().getSecretKeyRef().getName().equals("s3"));
  }
}
