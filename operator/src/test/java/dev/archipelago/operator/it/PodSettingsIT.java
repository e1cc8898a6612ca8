package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What platform teams set reaches every pod (ServiceAccount, priority, labels, annotations), and a
 * run with a queue hands its Jobs to Kueue: created suspended, labelled for the LocalQueue, the
 * wait explained and never counted against the pending timeout.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class PodSettingsIT {
  @Test
  void serviceAccountPriorityLabelsAndAnnotationsReachTheTrainerPods(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    String priority = "train-" + cluster.namespace();
    cluster
        .client()
        .scheduling()
        .v1()
        .priorityClasses()
        .resource(
            new PriorityClassBuilder()
                .withNewMetadata()
                .withName(priority)
                .endMetadata()
                .withValue(1000)
                .build())
        .create();
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      cluster
          .client()
          .serviceAccounts()
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("trainer")
                  .endMetadata()
                  .build())
          .create();
      scenario.island("pods-a", 1, null);
      scenario.startOperator();
      scenario.createRun(
          "tagged",
          2,
          "  pods:\n"
              + "    serviceAccountName: trainer\n"
              + "    priorityClassName: "
              + priority
              + "\n"
              + "    labels: {team: vision, cost-centre: '4711'}\n"
              + "    annotations: {example.com/owner: vision-team}\n");

      Pod pod = scenario.awaitRunningPod("tagged", Role.PARTITION, null, 1);
      assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("trainer");
      assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
      assertThat(pod.getSpec().getPriorityClassName()).isEqualTo(priority);
      assertThat(pod.getSpec().getPriority()).isEqualTo(1000);
      assertThat(pod.getMetadata().getLabels())
          .containsEntry("team", "vision")
          .containsEntry("cost-centre", "4711")
          .containsEntry("archipelago.dev/run", "tagged");
      assertThat(pod.getMetadata().getAnnotations())
          .containsEntry("example.com/owner", "vision-team");
      assertThat(scenario.jobs("tagged", Role.PARTITION).get(0).getMetadata().getLabels())
          .containsEntry("team", "vision");
    } finally {
      cluster.client().scheduling().v1().priorityClasses().withName(priority).delete();
    }
  }

  /**
   * Storage without a Secret, as far as this machine allows: the pods get no keys and run as the
   * named ServiceAccount, and the operator's progress reader finds credentials through the AWS
   * chain, here its first link (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, read from system
   * properties before the environment). The web identity and metadata links need an STS endpoint
   * and a cloud's metadata server, which this machine has not.
   */
  @Test
  void withoutACredentialsSecretPodsRunAsTheirServiceAccountAndTheOperatorUsesTheAwsChain(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    System.setProperty("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
    System.setProperty("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      cluster
          .client()
          .serviceAccounts()
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName("irsa").endMetadata().build())
          .create();
      scenario.island("pods-c", 1, null);
      scenario.startOperator();
      scenario.createRunWithStorage("keyless", 2, "  pods: {serviceAccountName: irsa}\n", "");

      Pod pod = scenario.awaitRunningPod("keyless", Role.PARTITION, null, 1);
      assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("irsa");
      assertThat(pod.getSpec().getContainers().get(0).getEnv())
          .noneMatch(e -> e.getName().startsWith("AWS_"));
      new dev.archipelago.testfixtures.TrainerFixture(s3, scenario.run("keyless"))
          .writeClusterSizes(2, 10);
      DDMRun read =
          scenario.awaitRun(
              "keyless",
              "the operator read the store with the chain's credentials",
              r -> r.getStatus().getClusterSizes() != null);
      assertThat(read.getStatus().getClusterSizes()).containsExactly(10L, 11L);
    } finally {
      System.clearProperty("AWS_ACCESS_KEY_ID");
      System.clearProperty("AWS_SECRET_ACCESS_KEY");
    }
  }

  @Test
  void aRunWithAQueueCreatesItsJobsSuspendedForKueueAndSaysItWaitsForAdmission(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("pods-b", 1, null);
      scenario.startOperator();
      scenario.createRun(
          "queued", 2, "  queueName: gpu-queue\n  failurePolicy: {pendingTimeoutSeconds: 3}\n");

      Job partition =
          await("the partition Job")
              .atMost(RunScenario.TIMEOUT)
              .until(() -> scenario.jobs("queued", Role.PARTITION), jobs -> !jobs.isEmpty())
              .get(0);
      assertThat(partition.getSpec().getSuspend()).isTrue();
      assertThat(partition.getMetadata().getLabels())
          .containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue");
      DDMRun waiting =
          scenario.awaitRun(
              "queued",
              "the wait explained",
              r ->
                  r.getStatus().getPartition() != null
                      && r.getStatus().getPartition().getMessage() != null
                      && r.getStatus()
                          .getPartition()
                          .getMessage()
                          .contains("LocalQueue gpu-queue"));
      assertThat(waiting.getStatus().getPartition().getMessage())
          .isEqualTo(
              "waiting to start: waiting for admission: Kueue holds the Job until LocalQueue"
                  + " gpu-queue has quota");
      // Past the pending timeout, still only waiting: the queue decides when quota frees.
      await("the pending timeout passes without a stall")
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15))
          .until(() -> !RunScenario.isTrue(scenario.run("queued"), ConditionType.STALLED));
    }
  }
}
