package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.Role;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deleting a run whose storage policy is Delete, on the real test cluster: its trainers stop before
 * its prefix is wiped, a credentials Secret deleted first does not wedge it, and an unreachable
 * store lets it go after bounded retries, saying where the objects remain.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class RunDeletionIT {
  /** Stands for a pod whose trainer is still writing its SIGTERM checkpoint. */
  private static final String HOLD = "test.archipelago.dev/hold";

  @Test
  void theStorageIsWipedOnlyOnceNoTrainerPodRemains(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("del-a", 1, null);
      scenario.startOperator();
      scenario.createRun("wipe", 2, "", ", deletionPolicy: Delete");
      scenario.awaitRun("wipe", "a storage prefix", r -> r.getStatus().getStoragePrefix() != null);
      String prefix = scenario.run("wipe").getStatus().getStoragePrefix();
      scenario.awaitRunningPod("wipe", Role.PARTITION, null, 1);
      new TrainerFixture(s3, scenario.run("wipe")).writeClusterSizes(2, 10);
      Pod expert = scenario.awaitRunningPod("wipe", Role.EXPERT, 0, 1);
      hold(cluster, expert, true);

      cluster.client().resources(DDMRun.class).withName("wipe").delete();

      await("the run waits for its Terminating trainer, storage untouched")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  scenario.run("wipe") != null
                      && s3.countObjects("runs", prefix) > 0
                      && cluster.client().pods().withName(expert.getMetadata().getName()).get()
                          != null);
      assertThat(cluster.client().batch().v1().jobs().withName("wipe-expert-0-a1").get())
          .satisfiesAnyOf(
              j -> assertThat(j).isNull(),
              j -> assertThat(j.getMetadata().getDeletionTimestamp()).isNotNull());

      hold(cluster, expert, false);
      await("run gone, storage wiped")
          .atMost(RunScenario.TIMEOUT)
          .until(() -> scenario.run("wipe") == null && s3.countObjects("runs", prefix) == 0);
    }
  }

  @Test
  void aCredentialsSecretDeletedBeforeTheRunDoesNotStopItsCleanUp(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("del-b", 1, null);
      scenario.startOperator();
      scenario.createRun("orphan", 2, "  suspend: true\n", ", deletionPolicy: Delete");
      new TrainerFixture(s3, scenario.run("orphan")).writeClusterSizes(2, 10);
      String prefix =
          scenario
              .awaitRun(
                  "orphan",
                  "the partition read from storage",
                  r -> r.getStatus().getClusterSizes() != null)
              .getStatus()
              .getStoragePrefix();

      // As `kubectl delete namespace` may order it: the Secret first, then the run.
      cluster.client().secrets().withName("s3").delete();
      cluster.client().resources(DDMRun.class).withName("orphan").delete();

      await("run gone, storage wiped with the credentials last read")
          .atMost(RunScenario.TIMEOUT)
          .until(() -> scenario.run("orphan") == null && s3.countObjects("runs", prefix) == 0);
      cluster.client().secrets().resource(EmbeddedS3.credentialsSecret("s3")).create();
    }
  }

  @Test
  void theClustersWrittenToAnIslandsBucketAreWipedWithTheRun(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("del-c", 1, null);
      scenario.startOperator();
      scenario.createRun("spread", 2, "  suspend: true\n", ", deletionPolicy: Delete");
      DDMRun run = scenario.run("spread");
      s3.createBucket("island-data");
      String islandPrefix =
          ClusterLocations.islandPrefix(
              "near", run.getMetadata().getNamespace(), "spread", run.getMetadata().getUid(), 1);
      TrainerFixture trainer = new TrainerFixture(s3, run);
      trainer.writeObject("island-data", islandPrefix + "shard-000000.tar", new byte[] {1, 2, 3});
      trainer.writeObject("island-data", "other-run/keep.tar", new byte[] {4});
      trainer.writeClusterLocations(
          new ClusterLocations(
              List.of(new ClusterLocations.Location(1, "island-data", null, islandPrefix))));
      trainer.writeClusterSizes(2, 10);
      scenario.awaitRun(
          "spread",
          "the partition read from storage",
          r -> r.getStatus().getClusterSizes() != null);

      cluster.client().resources(DDMRun.class).withName("spread").delete();

      await("run gone, its cluster in the island's bucket wiped")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () ->
                  scenario.run("spread") == null
                      && s3.countObjects("island-data", islandPrefix) == 0);
      assertThat(s3.countObjects("island-data", "other-run/")).as("another run's objects").isOne();
    }
  }

  @Test
  void anUnreachableStoreLetsTheRunGoAfterBoundedRetriesNamingWhereTheObjectsRemain(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("del-c", 1, null);
      scenario.startOperator();
      scenario.createRun("lost", 2, "  suspend: true\n", ", deletionPolicy: Delete");
      scenario.awaitRun("lost", "a storage prefix", r -> r.getStatus().getStoragePrefix() != null);
      // The store moves to an address where nothing listens (port 9, discard).
      cluster
          .client()
          .resources(DDMRun.class)
          .withName("lost")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"storage\":{\"endpoint\":\"http://127.0.0.1:9\"}}}");

      cluster.client().resources(DDMRun.class).withName("lost").delete();

      await("run gone").atMost(RunScenario.TIMEOUT).until(() -> scenario.run("lost") == null);
      var events = cluster.client().v1().events().list().getItems();
      assertThat(events)
          .filteredOn(e -> "StorageCleanupFailed".equals(e.getReason()))
          .hasSize(4)
          .allSatisfy(e -> assertThat(e.getMessage()).contains(" of 5)"));
      assertThat(events)
          .anySatisfy(
              e -> {
                assertThat(e.getReason()).isEqualTo("StorageNotDeleted");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage())
                    .contains("gave up deleting the run's storage after 5 attempts")
                    .contains("in bucket runs");
              });
    }
  }

  @Test
  void onlyRunsWhoseStorageIsDeletedCarryTheFinalizerSoARetainRunGoesWithoutTheOperator(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("del-d", 1, null);
      scenario.startOperator();
      scenario.createRun("kept", 2, "  suspend: true\n");
      scenario.createRun("wiped", 2, "  suspend: true\n", ", deletionPolicy: Delete");
      scenario.awaitRun(
          "wiped",
          "the storage finalizer",
          r -> r.getMetadata().getFinalizers().contains("archipelago.dev/storage-cleanup"));
      DDMRun kept = scenario.awaitRun("kept", "status", r -> r.getStatus().getPhase() != null);
      assertThat(kept.getMetadata().getFinalizers()).isEmpty();

      // With the operator gone (uninstalled, scaled to zero), the Retain run still deletes.
      scenario.stopOperator();
      cluster.client().resources(DDMRun.class).withName("kept").delete();
      await("the Retain run gone without an operator")
          .atMost(RunScenario.TIMEOUT)
          .until(() -> scenario.run("kept") == null);

      // Switching a run to Retain releases its finalizer.
      scenario.startOperator();
      scenario.patchSpec("wiped", "{\"storage\":{\"deletionPolicy\":\"Retain\"}}");
      await("the finalizer released")
          .atMost(RunScenario.TIMEOUT)
          .until(() -> scenario.run("wiped").getMetadata().getFinalizers().isEmpty());
    }
  }

  private static void hold(TestCluster cluster, Pod pod, boolean hold) {
    cluster
        .client()
        .pods()
        .withName(pod.getMetadata().getName())
        .edit(
            p -> {
              if (hold) {
                p.getMetadata().getFinalizers().add(HOLD);
              } else {
                p.getMetadata().getFinalizers().remove(HOLD);
              }
              return p;
            });
  }
}
