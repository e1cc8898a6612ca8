package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.testcluster.GpuNodePools;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An expert whose island cannot run its next attempt moves to another island of the run, on the
 * real test cluster, and resumes there; maxConcurrentExperts holds across runs.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class IslandFailoverIT {
  @Test
  void aRetryWhoseIslandWasDeletedGoesToAnotherIslandOfTheRun(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("fo-a", 1, null).island("fo-b", 1, null);
      scenario.startOperator();
      scenario.startTraining("move", 2, "");
      String a = scenario.islands().get(0);
      String b = scenario.islands().get(1);
      Pod one = scenario.awaitRunningPod("move", Role.EXPERT, 1, 1);
      assertThat(one.getMetadata().getLabels()).containsEntry(Labels.ISLAND, b);

      cluster.client().resources(ComputeIsland.class).withName(b).delete();
      cluster.pods().fail(one.getMetadata().getName(), 1);

      Pod moved = scenario.awaitRunningPod("move", Role.EXPERT, 1, 2);
      assertThat(moved.getMetadata().getLabels()).containsEntry(Labels.ISLAND, a);
      assertThat(scenario.nodesByIsland.get(a)).contains(moved.getSpec().getNodeName());
      assertThat(RunScenario.env(moved, "ARCHIPELAGO_ATTEMPT")).isEqualTo("2");
      DDMRun run =
          scenario.awaitRun(
              "move", "expert 1 on island a", r -> a.equals(scenario.expert(r, 1).getIsland()));
      assertThat(RunScenario.isTrue(run, "Stalled")).isFalse();
      assertMovedEvent(cluster, "expert 1 attempt 2 moves from island " + b + " to " + a);
    }
  }

  @Test
  void anAttemptThatCannotStartWithinThePendingTimeoutMovesToAnotherIsland(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("fo-c", 1, null).island("fo-d", 1, null);
      String c = scenario.islands().get(0);
      String d = scenario.islands().get(1);
      // Another workload holds every GPU of island d's node: its island is Ready, its GPUs busy.
      cluster.client().pods().resource(gpuHog(d, scenario.nodesByIsland.get(d).get(0))).create();
      scenario.startOperator();
      scenario.startTraining("stuck", 2, "  failurePolicy: {pendingTimeoutSeconds: 6}\n");

      Pod moved = scenario.awaitRunningPod("stuck", Role.EXPERT, 1, 2);
      assertThat(moved.getMetadata().getLabels()).containsEntry(Labels.ISLAND, c);
      await("the stuck attempt's Job deleted")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () ->
                  cluster.client().batch().v1().jobs().withName("stuck-expert-1-a1").get() == null);
      DDMRun run = scenario.run("stuck");
      assertThat(scenario.expert(run, 1).getRestarts()).isZero();
      assertThat(RunScenario.isTrue(run, "Stalled")).isFalse();
      assertMovedEvent(cluster, "expert 1 attempt 2 moves from island " + d + " to " + c);
      assertMovedEvent(cluster, "expert 1 has not started in");
      assertMovedEvent(cluster, "Insufficient nvidia.com/gpu");
    }
  }

  @Test
  void maxConcurrentExpertsCountsTheExpertsOfEveryRunOnTheIsland(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("fo-e", 2, 1);
      scenario.startOperator();
      scenario.startTraining("first", 2, "");
      Pod first = scenario.awaitRunningPod("first", Role.EXPERT, 0, 1);
      scenario.startTraining("second", 2, "");
      DDMRun second =
          scenario.awaitRun(
              "second",
              "second's experts wait for the island's slot",
              r ->
                  r.getStatus().getExperts().size() == 2
                      && r.getStatus().getExperts().stream()
                          .allMatch(
                              e ->
                                  e.getMessage() != null
                                      && e.getMessage().contains("counted over every run on it")));
      assertThat(second.getStatus().getExperts()).hasSize(2);
      assertThat(expertJobs(cluster)).hasSize(1);

      // Each finished expert frees the slot for exactly one more, whichever run it belongs to.
      cluster.pods().succeed(first.getMetadata().getName());
      for (int finished = 1; finished < 4; finished++) {
        int done = finished;
        Pod next =
            await("expert " + (done + 1) + " of 4 running")
                .atMost(RunScenario.TIMEOUT)
                .until(() -> runningExpertPods(cluster), pods -> pods.size() == 1)
                .get(0);
        assertThat(unfinishedExpertJobs(cluster)).hasSize(1);
        cluster.pods().succeed(next.getMetadata().getName());
      }
    }
  }

  private static List<Job> expertJobs(TestCluster cluster) {
    return cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .withLabel(Labels.ROLE, Role.EXPERT.label())
        .list()
        .getItems();
  }

  private static List<Job> unfinishedExpertJobs(TestCluster cluster) {
    return expertJobs(cluster).stream()
        .filter(j -> j.getStatus() == null || j.getStatus().getSucceeded() == null)
        .toList();
  }

  private static List<Pod> runningExpertPods(TestCluster cluster) {
    return cluster
        .client()
        .pods()
        .withLabel(Labels.ROLE, Role.EXPERT.label())
        .list()
        .getItems()
        .stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  private static Pod gpuHog(String pool, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("gpu-hog")
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(Map.of(GpuNodePools.POOL_LABEL, pool))
        .addNewToleration()
        .withKey(GpuNodePools.GPU_RESOURCE)
        .withOperator("Exists")
        .withEffect("NoSchedule")
        .endToleration()
        .addNewContainer()
        .withName("hog")
        .withImage("hog")
        .withNewResources()
        .addToLimits(GpuNodePools.GPU_RESOURCE, new Quantity("8"))
        .addToRequests(GpuNodePools.GPU_RESOURCE, new Quantity("8"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static void assertMovedEvent(TestCluster cluster, String part) {
    assertThat(cluster.client().v1().events().list().getItems())
        .anyMatch(e -> "ExpertMoved".equals(e.getReason()) && e.getMessage().contains(part));
  }
}
