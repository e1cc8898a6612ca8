package dev.archipelago.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.testcluster.RealNode;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testcluster.TestClusters;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How expert containers end on a real kubelet (on the node's CPU): a real SIGTERM from {@code
 * kubectl delete pod}, and the kernel's OOM killer at the pod's memory limit.
 */
@Tag(RealNode.TAG)
@ExtendWith(TestClusterExtension.class)
class ExpertStopsInRealContainersIT {
  private static final Logger LOG = LoggerFactory.getLogger(ExpertStopsInRealContainersIT.class);
  private static final Pattern RESUMED =
      Pattern.compile("resuming training from .* \\(step (\\d+)\\)");

  @Test
  void deletedExpertPodCheckpointsOnSigtermAndItsNextAttemptResumesOnCpu(TestCluster cluster)
      throws Exception {
    TestClusters.realNode();
    KubernetesClient client = cluster.client();
    RealRuns.enforceRestricted(client, cluster.namespace());
    try (EmbeddedS3 s3 = new EmbeddedS3(RealNode.HOST_ADDRESS_FOR_PODS)) {
      String island = RealRuns.operatorAndIsland(cluster);
      DDMRun run = RealRuns.applyRun(client, s3, island, "stopped", RealRuns.RunSize.LONG);

      // Training for real: the trainer has reported steps through the object store.
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  expert(client, run, 0).getStep() != null && expert(client, run, 0).getStep() > 0);
      Pod pod = expertPod(client, run, 0, 1);
      Instant deleted = Instant.now();
      client.pods().resource(pod).delete();

      ContainerStateTerminated ended = awaitTerminated(client, pod);
      double stopSeconds =
          Duration.between(deleted, Instant.parse(ended.getFinishedAt())).toMillis() / 1000.0;
      LOG.info("SIGTERM -> checkpointed and exited {} in {} s", ended.getExitCode(), stopSeconds);
      assertThat(ended.getExitCode()).isEqualTo(ExitCodes.PREEMPTED);
      assertThat(stopSeconds).isLessThan(run.getSpec().getTerminationGracePeriodSeconds());

      Pod next =
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> expertPodOrNull(client, run, 0, 2),
                  p -> p != null && "Running".equals(p.getStatus().getPhase()));
      String[] log = {""};
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> RESUMED.matcher(log[0] = client.pods().resource(next).getLog()).find());
      Matcher resumed = RESUMED.matcher(log[0]);
      assertThat(resumed.find()).isTrue();
      assertThat(Long.parseLong(resumed.group(1))).isPositive();

      ExpertStatus status = expert(client, run, 0);
      assertThat(status.getAttempt()).isEqualTo(2);
      assertThat(status.getRestarts()).as("a preemption is no restart").isZero();
      assertThat(status.getMessage()).contains("preempted");
    }
  }

  @Test
  void expertAboveItsMemoryLimitIsOomKilledAndSaysSoInStatusAndEvents(TestCluster cluster)
      throws Exception {
    TestClusters.realNode();
    KubernetesClient client = cluster.client();
    try (EmbeddedS3 s3 = new EmbeddedS3(RealNode.HOST_ADDRESS_FOR_PODS)) {
      String island = RealRuns.operatorAndIsland(cluster);
      DDMRun run = RealRuns.applyRun(client, s3, island, "oom", RealRuns.RunSize.OOM);

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                String message = expert(client, run, 0).getMessage();
                return message != null && message.contains("OOMKilled");
              });
      assertThat(expert(client, run, 0).getMessage())
          .contains("OOMKilled (exit 137)", "memory limit of " + RealRuns.RunSize.OOM.memory());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.v1().events().list().getItems().stream()
                      .map(Event::getMessage)
                      .anyMatch(m -> m != null && m.contains("OOMKilled")));
    }
  }

  @Test
  void aRunHoldingGpusItsEngineCannotSeeStallsAtOnceInsteadOfTrainingOnCpu(TestCluster cluster)
      throws Exception {
    TestClusters.realNode();
    KubernetesClient client = cluster.client();
    try (EmbeddedS3 s3 = new EmbeddedS3(RealNode.HOST_ADDRESS_FOR_PODS)) {
      String island = RealRuns.operatorAndIsland(cluster);
      DDMRun run = RealRuns.applyRun(client, s3, island, "fakegpu", RealRuns.RunSize.FAKE_GPU);

      // The partition, first to hold one of the node's fake GPUs, fails; the trainer's own
      // reason reaches the run's Stalled condition through the kubelet's termination message.
      String[] message = {""};
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> !(message[0] = stalledMessage(client, run)).isEmpty());
      assertThat(message[0])
          .contains("partition", "exited " + ExitCodes.BAD_CONFIG, "GPU", "'cpu' build")
          .doesNotContain("OOMKilled");
      assertThat(expert(client, run, 0).getStep()).as("no step on the CPU").isNull();
      LOG.info("run holding a fake GPU: {}", message[0]);
    }
  }

  private static String stalledMessage(KubernetesClient client, DDMRun run) {
    var status = RealRuns.get(client, run).getStatus();
    if (status == null) {
      return "";
    }
    return status.getConditions().stream()
        .filter(c -> ConditionType.STALLED.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse("");
  }

  /** The expert's status; an empty one until the operator has written the run's first status. */
  private static ExpertStatus expert(KubernetesClient client, DDMRun run, int expert) {
    var status = RealRuns.get(client, run).getStatus();
    if (status == null || status.getExperts() == null) {
      return new ExpertStatus(expert);
    }
    return status.getExperts().stream()
        .filter(e -> e.getExpert() == expert)
        .findFirst()
        .orElseGet(() -> new ExpertStatus(expert));
  }

  private static Pod expertPod(KubernetesClient client, DDMRun run, int expert, int attempt) {
    Pod pod = expertPodOrNull(client, run, expert, attempt);
    assertThat(pod).as("pod of expert %d attempt %d", expert, attempt).isNotNull();
    return pod;
  }

  private static Pod expertPodOrNull(KubernetesClient client, DDMRun run, int expert, int attempt) {
    return client
        .pods()
        .withLabels(
            Map.of(
                Labels.RUN, run.getMetadata().getName(),
                Labels.EXPERT, Integer.toString(expert),
                Labels.ATTEMPT, Integer.toString(attempt)))
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElse(null);
  }

  /** The Job controller's finalizer keeps the deleted pod readable until it has counted it. */
  private static ContainerStateTerminated awaitTerminated(KubernetesClient client, Pod pod) {
    ContainerStateTerminated[] ended = {null};
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Pod now = client.pods().resource(pod).get();
              if (now == null || now.getStatus().getContainerStatuses() == null) {
                return false;
              }
              var state = now.getStatus().getContainerStatuses().get(0).getState();
              ended[0] = state == null ? null : state.getTerminated();
              return ended[0] != null;
            });
    return ended[0];
  }
}
