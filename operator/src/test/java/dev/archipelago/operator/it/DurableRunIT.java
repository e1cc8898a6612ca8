package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What clean-up scripts and platform teams do to a live run, on the real test cluster: finished
 * work stays finished without its Jobs, and a missing prerequisite never deletes running work.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class DurableRunIT {
  /** Long enough for several reconciles (Job events, 500 ms storage polls) to act on a change. */
  private static final Duration HOLDS_FOR = Duration.ofSeconds(6);

  @Test
  void deletingEveryCompletedJobOfAServingRunRecreatesNothingAndServingStaysReady(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("dur-a", 2, null);
      scenario.startOperator();
      scenario.startTraining("ttl", 2, "");
      for (int k = 0; k < 2; k++) {
        Pod pod = scenario.awaitRunningPod("ttl", Role.EXPERT, k, 1);
        cluster.pods().succeed(pod.getMetadata().getName());
      }
      Pod router = scenario.awaitRunningPod("ttl", Role.ROUTER, null, 1);
      cluster.pods().succeed(router.getMetadata().getName());
      scenario.awaitRun("ttl", "Serving and Ready", DurableRunIT::servingReady);
      String deployment = deploymentUid(cluster, "ttl");

      // As `kubectl delete jobs --field-selector status.successful=1` does.
      cluster
          .client()
          .batch()
          .v1()
          .jobs()
          .withField("status.successful", "1")
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      await("completed Jobs gone")
          .atMost(RunScenario.TIMEOUT)
          .until(() -> allJobs(cluster, "ttl").isEmpty());

      await("nothing recreated, serving untouched")
          .during(HOLDS_FOR)
          .atMost(HOLDS_FOR.multipliedBy(3))
          .until(
              () ->
                  allJobs(cluster, "ttl").isEmpty()
                      && deployment.equals(deploymentUid(cluster, "ttl"))
                      && servingReady(scenario.run("ttl")));
      DDMRun run = scenario.run("ttl");
      assertThat(run.getStatus().getPartition().getPhase()).isEqualTo(WorkerPhase.Succeeded);
      assertThat(run.getStatus().getExperts())
          .allSatisfy(e -> assertThat(e.getPhase()).isEqualTo(WorkerPhase.Succeeded));
      assertThat(run.getStatus().getRouter().getPhase()).isEqualTo(WorkerPhase.Succeeded);
    }
  }

  @Test
  void deletingThePartitionJobMidTrainingKillsNoExpertAndIsNotRecreated(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("dur-b", 2, null);
      scenario.startOperator();
      scenario.startTraining("nopart", 2, "");
      Map<String, String> pods = runningPodUids(scenario, "nopart", 2);

      cluster
          .client()
          .batch()
          .v1()
          .jobs()
          .withName("nopart-partition")
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();

      await("experts keep running, partition not recreated")
          .during(HOLDS_FOR)
          .atMost(HOLDS_FOR.multipliedBy(3))
          .until(
              () ->
                  pods.equals(livePodUids(cluster, "nopart", Role.EXPERT))
                      && cluster.client().batch().v1().jobs().withName("nopart-partition").get()
                          == null
                      && scenario.run("nopart").getStatus().getPhase() == RunPhase.Training);
      assertThat(scenario.jobs("nopart", Role.ROUTER)).hasSize(1);
    }
  }

  @Test
  void deletingAComputeIslandWithRunningExpertsKeepsThemRunning(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("dur-c", 1, null).island("dur-d", 1, null);
      scenario.startOperator();
      scenario.startTraining("noisle", 2, "");
      Map<String, String> pods = runningPodUids(scenario, "noisle", 2);
      String second = scenario.islands().get(1);

      cluster.client().resources(ComputeIsland.class).withName(second).delete();

      await("experts keep running, the run explains the missing island")
          .during(HOLDS_FOR)
          .atMost(HOLDS_FOR.multipliedBy(3))
          .until(
              () -> {
                DDMRun run = scenario.run("noisle");
                return pods.equals(livePodUids(cluster, "noisle", Role.EXPERT))
                    && !RunScenario.isTrue(run, ConditionType.STALLED)
                    && RunScenario.conditionMessage(run, ConditionType.RECONCILING)
                        .contains(
                            "ComputeIsland "
                                + second
                                + " (spec.islands) does not exist; the attempts already on it"
                                + " keep running");
              });
    }
  }

  static boolean servingReady(DDMRun r) {
    return r.getStatus() != null
        && r.getStatus().getPhase() == RunPhase.Serving
        && RunScenario.isTrue(r, ConditionType.READY);
  }

  static Map<String, String> runningPodUids(RunScenario scenario, String run, int experts) {
    for (int k = 0; k < experts; k++) {
      scenario.awaitRunningPod(run, Role.EXPERT, k, 1);
    }
    return livePodUids(scenario.cluster, run, Role.EXPERT);
  }

  /** Pods of a role that run and are not being deleted, name to uid. */
  static Map<String, String> livePodUids(TestCluster cluster, String run, Role role) {
    return cluster
        .client()
        .pods()
        .withLabel(Labels.RUN, run)
        .withLabel(Labels.ROLE, role.label())
        .list()
        .getItems()
        .stream()
        .filter(
            p ->
                "Running".equals(p.getStatus().getPhase())
                    && p.getMetadata().getDeletionTimestamp() == null)
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }

  private static List<Job> allJobs(TestCluster cluster, String run) {
    return cluster.client().batch().v1().jobs().withLabel(Labels.RUN, run).list().getItems();
  }

  private static String deploymentUid(TestCluster cluster, String run) {
    return cluster
        .client()
        .apps()
        .deployments()
        .withLabel(Labels.RUN, run)
        .list()
        .getItems()
        .get(0)
        .getMetadata()
        .getUid();
  }
}
