package dev.archipelago.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.testcluster.GpuNodePool;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test decides how a pod ends; the Job controller reacts as on a real cluster. */
@ExtendWith(TestClusterExtension.class)
class PodFailureIT {

  @Test
  void aPodFailedWithExitCode137FailsItsJobAndShowsTheExitCode(TestCluster cluster) {
    cluster.nodePools().create(GpuNodePool.of("pool-f", 1));
    cluster.client().batch().v1().jobs().resource(GpuJobs.onPool("crashes", "pool-f", 1)).create();
    String podName = GpuJobs.awaitScheduledPod(cluster.client(), "crashes").getMetadata().getName();

    cluster.pods().fail(podName, 137);

    Job job = GpuJobs.awaitCondition(cluster.client(), "crashes", "Failed");
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    Pod pod = cluster.client().pods().withName(podName).get();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated terminated =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(137);
    assertThat(terminated.getReason()).isEqualTo("Error");
  }

  @Test
  void aRunningPodStaysRunningUntilTheTestDecides(TestCluster cluster) throws Exception {
    cluster.nodePools().create(GpuNodePool.of("pool-r", 1));
    cluster.client().batch().v1().jobs().resource(GpuJobs.onPool("long", "pool-r", 1)).create();
    String podName = GpuJobs.awaitScheduledPod(cluster.client(), "long").getMetadata().getName();
    cluster.pods().awaitRunning(podName);

    // kwok's default stages would complete a Job's pod at once; ours must not.
    org.awaitility.Awaitility.await()
        .during(java.time.Duration.ofSeconds(3))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () ->
                "Running"
                    .equals(
                        cluster.client().pods().withName(podName).get().getStatus().getPhase()));

    cluster.pods().succeed(podName);
    GpuJobs.awaitCondition(cluster.client(), "long", "Complete");
  }
}
