package dev.archipelago.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.testcluster.GpuNodePool;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Disruptions look as they do on a real cluster: the pod is marked with a DisruptionTarget
 * condition and terminated, and its Job counts the failure.
 */
@ExtendWith(TestClusterExtension.class)
class DisruptionIT {

  @Test
  void anEvictedPodIsMarkedAsADisruptionAndTerminated(TestCluster cluster) {
    cluster.nodePools().create(GpuNodePool.of("pool-e", 1));
    cluster.client().batch().v1().jobs().resource(GpuJobs.onPool("evicted", "pool-e", 1)).create();
    String podName = GpuJobs.awaitScheduledPod(cluster.client(), "evicted").getMetadata().getName();
    cluster.pods().awaitRunning(podName);
    AtomicReference<Pod> lastSeen = watchLastState(cluster, podName);

    cluster.pods().evict(podName);

    Job job = GpuJobs.awaitCondition(cluster.client(), "evicted", "Failed");
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    Pod last =
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(lastSeen::get, p -> isTerminal(p));
    assertThat(disruption(last))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("EvictionByEvictionAPI"));
    assertThat(
            last.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(137);
  }

  @Test
  void deletingANodeTerminatesItsPodsAsDisrupted(TestCluster cluster) {
    String node = cluster.nodePools().create(GpuNodePool.of("pool-d", 1)).get(0);
    cluster.client().batch().v1().jobs().resource(GpuJobs.onPool("orphaned", "pool-d", 1)).create();
    Pod pod = GpuJobs.awaitScheduledPod(cluster.client(), "orphaned");
    assertThat(pod.getSpec().getNodeName()).isEqualTo(node);
    cluster.pods().awaitRunning(pod.getMetadata().getName());
    AtomicReference<Pod> lastSeen = watchLastState(cluster, pod.getMetadata().getName());

    cluster.client().nodes().withName(node).delete();

    // The pod garbage collector finds pods bound to a missing node after its quarantine (~40 s).
    Job job =
        Awaitility.await("job orphaned fails after its node is gone")
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> cluster.client().batch().v1().jobs().withName("orphaned").get(),
                j -> j.getStatus().getFailed() != null && j.getStatus().getFailed() == 1);
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    Pod last =
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(lastSeen::get, p -> isTerminal(p));
    assertThat(disruption(last))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("DeletionByPodGC"));
  }

  /** Remembers the newest version of the pod, so its final status survives its deletion. */
  private static AtomicReference<Pod> watchLastState(TestCluster cluster, String podName) {
    AtomicReference<Pod> last = new AtomicReference<>();
    cluster
        .client()
        .pods()
        .withName(podName)
        .inform(
            new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
              @Override
              public void onAdd(Pod pod) {
                last.set(pod);
              }

              @Override
              public void onUpdate(Pod oldPod, Pod newPod) {
                last.set(newPod);
              }

              @Override
              public void onDelete(Pod pod, boolean finalStateUnknown) {
                if (!finalStateUnknown) {
                  last.set(pod);
                }
              }
            });
    return last;
  }

  private static boolean isTerminal(Pod pod) {
    return pod != null
        && ("Failed".equals(pod.getStatus().getPhase())
            || "Succeeded".equals(pod.getStatus().getPhase()))
        && disruption(pod).isPresent();
  }

  private static Optional<PodCondition> disruption(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
