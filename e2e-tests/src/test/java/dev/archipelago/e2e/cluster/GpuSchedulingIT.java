package dev.archipelago.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.testcluster.GpuNodePool;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kube-scheduler places GPU pods by node selector, toleration and GPU resources; kwok runs them.
 */
@ExtendWith(TestClusterExtension.class)
class GpuSchedulingIT {

  @Test
  void aJobForPoolBRunsOnAPoolBNodeAndCompletesWhenItsPodSucceeds(TestCluster cluster) {
    List<String> poolA = cluster.nodePools().create(GpuNodePool.of("pool-a", 2));
    List<String> poolB = cluster.nodePools().create(GpuNodePool.of("pool-b", 2));

    cluster.client().batch().v1().jobs().resource(GpuJobs.onPool("expert-0", "pool-b", 8)).create();
    Pod pod = GpuJobs.awaitScheduledPod(cluster.client(), "expert-0");

    assertThat(pod.getSpec().getNodeName()).isIn(poolB).isNotIn(poolA);
    cluster.pods().awaitRunning(pod.getMetadata().getName());

    cluster.pods().succeed(pod.getMetadata().getName());

    Job job = GpuJobs.awaitCondition(cluster.client(), "expert-0", "Complete");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
  }

  @Test
  void aPodAskingForMoreGpusThanAnyNodeHasStaysPending(TestCluster cluster) {
    cluster.nodePools().create(GpuNodePool.of("pool-small", 1).withGpusPerNode(4));

    cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .resource(GpuJobs.onPool("greedy", "pool-small", 8))
        .create();

    Pod pod =
        org.awaitility.Awaitility.await("scheduler reports greedy unschedulable")
            .atMost(java.time.Duration.ofSeconds(60))
            .until(
                () -> cluster.client().pods().withLabel("job-name", "greedy").list().getItems(),
                pods ->
                    pods.size() == 1
                        && pods.get(0).getStatus().getConditions().stream()
                            .anyMatch(
                                c ->
                                    "PodScheduled".equals(c.getType())
                                        && "Unschedulable".equals(c.getReason())))
            .get(0);
    assertThat(pod.getSpec().getNodeName()).isNull();
    assertThat(pod.getStatus().getConditions())
        .anyMatch(c -> c.getMessage() != null && c.getMessage().contains("nvidia.com/gpu"));
  }
}
