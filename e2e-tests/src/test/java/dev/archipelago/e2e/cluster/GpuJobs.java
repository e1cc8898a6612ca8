package dev.archipelago.e2e.cluster;

import dev.archipelago.testcluster.GpuNodePools;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** A single-pod GPU Job pinned to one node pool, as an expert's training Job will be. */
final class GpuJobs {
  private GpuJobs() {}

  static Job onPool(String name, String pool, int gpus) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addToNodeSelector(GpuNodePools.POOL_LABEL, pool)
        .addNewToleration()
        .withKey(GpuNodePools.GPU_RESOURCE)
        .withOperator("Exists")
        .withEffect("NoSchedule")
        .endToleration()
        .addNewContainer()
        .withName("trainer")
        .withImage("archipelago/trainer:test")
        .withNewResources()
        .addToLimits(GpuNodePools.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Waits for the Job's one pod to exist and be scheduled to a node; returns it. */
  static Pod awaitScheduledPod(KubernetesClient client, String jobName) {
    return Awaitility.await("pod of job " + jobName + " scheduled")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> client.pods().withLabel("job-name", jobName).list().getItems(),
            (List<Pod> pods) -> pods.size() == 1 && pods.get(0).getSpec().getNodeName() != null)
        .get(0);
  }

  /** Waits for the Job to carry the condition {@code type=True} (Complete or Failed). */
  static Job awaitCondition(KubernetesClient client, String jobName, String type) {
    return Awaitility.await("job " + jobName + " " + type)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> client.batch().v1().jobs().withName(jobName).get(),
            job ->
                job.getStatus() != null
                    && job.getStatus().getConditions() != null
                    && job.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus())));
  }
}
