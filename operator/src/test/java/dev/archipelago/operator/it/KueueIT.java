package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.GpuNodePools;
import dev.archipelago.testcluster.KueueController;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run behind a real Kueue (built from sigs.k8s.io/kueue) on the test cluster: a ClusterQueue with
 * quota for 2 GPUs and one ResourceFlavor for the island's nodes. Workers start as Kueue admits
 * them, the rest say they wait for admission, and each finished worker frees quota for the next.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class KueueIT {
  private static final Set<String> TRAINERS = Set.of(Role.EXPERT.label(), Role.ROUTER.label());

  @Test
  void fourExpertsWithQuotaForTwoGpusRunTwoAtATimeAsKueueAdmitsThem(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (KueueController kueue = KueueController.start(cluster);
        RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("kq-a", 2, null);
      String pool = scenario.islands().get(0);
      String clusterQueue = "cq-" + cluster.namespace();
      try {
        queueFor(cluster, pool, clusterQueue, 2);
        scenario.startOperator();
        scenario.createRun("kq", 4, "  queueName: gpu-queue\n  inference: {enabled: false}\n");
        scenario.completePartition(scenario.run("kq"), 4);

        // The four experts and the router each ask for one GPU: two at a time are admitted.
        List<Pod> running = awaitRunningTrainers(cluster, 2);
        assertThat(admittedWorkloads(cluster))
            .as("Kueue's admitted, unfinished Workloads")
            .isEqualTo(2);
        DDMRun waiting =
            scenario.awaitRun(
                "kq",
                "three workers wait for admission",
                r ->
                    r.getStatus().getExperts().stream()
                                .filter(e -> waitsForAdmission(e.getMessage()))
                                .count()
                            + (waitsForAdmission(r.getStatus().getRouter().getMessage()) ? 1 : 0)
                        == 3);
        assertThat(waiting.getStatus().getPhase()).isEqualTo(RunPhase.Training);
        for (int done = 0; done < 5; done++) {
          assertThat(running).hasSizeLessThanOrEqualTo(2);
          cluster.pods().succeed(running.get(0).getMetadata().getName());
          int left = 4 - done;
          running = awaitRunningTrainers(cluster, Math.min(2, left));
        }
        DDMRun finished =
            scenario.awaitRun(
                "kq", "Succeeded", r -> r.getStatus().getPhase() == RunPhase.Succeeded);
        assertThat(finished.getStatus().getExperts())
            .allSatisfy(
                e -> {
                  assertThat(e.getPhase()).isEqualTo(WorkerPhase.Succeeded);
                  assertThat(e.getRestarts()).isZero();
                });
      } finally {
        scenario.close();
        deleteQueues(cluster, pool, clusterQueue);
      }
    }
  }

  @Test
  void anExpertPreemptedByKueueResumesWhenReadmittedWithoutCountingARestart(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    String urgentPriority = "urgent-" + cluster.namespace();
    try (KueueController kueue = KueueController.start(cluster);
        RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("kq-b", 1, null);
      String pool = scenario.islands().get(0);
      String clusterQueue = "cq-" + cluster.namespace();
      try {
        cluster
            .client()
            .scheduling()
            .v1()
            .priorityClasses()
            .resource(
                new PriorityClassBuilder()
                    .withNewMetadata()
                    .withName(urgentPriority)
                    .endMetadata()
                    .withValue(1000)
                    .build())
            .create();
        queueFor(cluster, pool, clusterQueue, 2);
        scenario.startOperator();
        scenario.createRun("low", 2, "  queueName: gpu-queue\n  inference: {enabled: false}\n");
        scenario.completePartition(scenario.run("low"), 2);
        // Two of the three workers (two experts, the router) hold the quota; take an expert.
        Pod first =
            awaitRunningTrainers(cluster, 2).stream()
                .filter(
                    p -> Role.EXPERT.label().equals(p.getMetadata().getLabels().get(Labels.ROLE)))
                .findFirst()
                .orElseThrow();
        int k = Integer.parseInt(first.getMetadata().getLabels().get(Labels.EXPERT));

        // A more important Job takes the island's whole quota: Kueue evicts the run's workers.
        cluster.client().batch().v1().jobs().resource(urgentJob(pool, urgentPriority)).create();
        await("expert " + k + "'s pod gone")
            .atMost(RunScenario.TIMEOUT)
            .until(
                () ->
                    cluster.client().pods().withName(first.getMetadata().getName()).get() == null);
        DDMRun evicted =
            scenario.awaitRun(
                "low",
                "expert " + k + " waits for admission again",
                r -> waitsForAdmission(scenario.expert(r, k).getMessage()));
        assertThat(scenario.expert(evicted, k).getAttempt()).isEqualTo(1);

        Pod urgent = awaitRunning(cluster, "urgent");
        cluster.pods().succeed(urgent.getMetadata().getName());
        // Kueue readmits the evicted workers in its own order: finishing the others frees the
        // quota until expert k's turn. Its attempt either resumes as it was or, if its Job failed
        // on the kill, a next attempt resumes; neither counts against maxRestarts.
        DDMRun resumed =
            await("expert " + k + " running again")
                .atMost(RunScenario.TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> {
                      for (Pod p : runningTrainers(cluster)) {
                        if (!Integer.toString(k)
                            .equals(p.getMetadata().getLabels().get(Labels.EXPERT))) {
                          cluster.pods().succeed(p.getMetadata().getName());
                        }
                      }
                      return scenario.run("low");
                    },
                    r -> scenario.expert(r, k).getPhase() == WorkerPhase.Running);
        assertThat(scenario.expert(resumed, k).getRestarts()).isZero();
        Pod again =
            scenario.awaitRunningPod(
                "low", Role.EXPERT, k, scenario.expert(resumed, k).getAttempt());
        assertThat(again.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
      } finally {
        scenario.close();
        deleteQueues(cluster, pool, clusterQueue);
        cluster.client().scheduling().v1().priorityClasses().withName(urgentPriority).delete();
      }
    }
  }

  private static Job urgentJob(String pool, String priority) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("urgent")
        .addToLabels("kueue.x-k8s.io/queue-name", "gpu-queue")
        .endMetadata()
        .withNewSpec()
        .withSuspend(true)
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "urgent")
        .endMetadata()
        .withNewSpec()
        .withPriorityClassName(priority)
        .withRestartPolicy("Never")
        .addNewToleration()
        .withKey(GpuNodePools.GPU_RESOURCE)
        .withOperator("Exists")
        .withEffect("NoSchedule")
        .endToleration()
        .addNewContainer()
        .withName("urgent")
        .withImage("urgent")
        .withNewResources()
        .addToRequests(GpuNodePools.GPU_RESOURCE, new Quantity("2"))
        .addToLimits(GpuNodePools.GPU_RESOURCE, new Quantity("2"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Pod awaitRunning(TestCluster cluster, String app) {
    return await(app + " running")
        .atMost(RunScenario.TIMEOUT)
        .until(
            () ->
                cluster.client().pods().withLabel("app", app).list().getItems().stream()
                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                    .findFirst()
                    .orElse(null),
            p -> p != null);
  }

  /** Workloads Kueue admitted that have not finished. */
  private static long admittedWorkloads(TestCluster cluster) {
    return cluster
        .client()
        .genericKubernetesResources("kueue.x-k8s.io/v1beta2", "Workload")
        .list()
        .getItems()
        .stream()
        .filter(w -> condition(w, "Admitted") && !condition(w, "Finished"))
        .count();
  }

  @SuppressWarnings("unchecked")
  private static boolean condition(GenericKubernetesResource resource, String type) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List)) {
      return false;
    }
    return ((List<Map<String, Object>>) map.get("conditions"))
        .stream().anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static boolean waitsForAdmission(String message) {
    return message != null && message.contains("waiting for admission");
  }

  /** Exactly {@code count} experts or routers running, once they are. */
  private static List<Pod> awaitRunningTrainers(TestCluster cluster, int count) {
    return await("exactly " + count + " trainers running")
        .atMost(RunScenario.TIMEOUT)
        .until(() -> runningTrainers(cluster), pods -> pods.size() == count);
  }

  private static List<Pod> runningTrainers(TestCluster cluster) {
    return cluster.client().pods().list().getItems().stream()
        .filter(p -> TRAINERS.contains(p.getMetadata().getLabels().getOrDefault(Labels.ROLE, "")))
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /**
   * A ResourceFlavor for the island's nodes, a ClusterQueue with GPU quota that preempts lower
   * priorities within itself, a LocalQueue.
   */
  private static void queueFor(TestCluster cluster, String pool, String clusterQueue, int gpus) {
    apply(
        cluster,
        "apiVersion: kueue.x-k8s.io/v1beta2\n"
            + "kind: ResourceFlavor\n"
            + "metadata: {name: "
            + pool
            + "}\n"
            + "spec:\n"
            + "  nodeLabels: {"
            + GpuNodePools.POOL_LABEL
            + ": "
            + pool
            + "}\n");
    apply(
        cluster,
        "apiVersion: kueue.x-k8s.io/v1beta2\n"
            + "kind: ClusterQueue\n"
            + "metadata: {name: "
            + clusterQueue
            + "}\n"
            + "spec:\n"
            + "  namespaceSelector: {}\n"
            + "  preemption: {withinClusterQueue: LowerPriority}\n"
            + "  resourceGroups:\n"
            + "  - coveredResources: [cpu, memory, nvidia.com/gpu]\n"
            + "    flavors:\n"
            + "    - name: "
            + pool
            + "\n"
            + "      resources:\n"
            + "      - {name: cpu, nominalQuota: 64}\n"
            + "      - {name: memory, nominalQuota: 512Gi}\n"
            + "      - {name: nvidia.com/gpu, nominalQuota: "
            + gpus
            + "}\n");
    apply(
        cluster,
        "apiVersion: kueue.x-k8s.io/v1beta2\n"
            + "kind: LocalQueue\n"
            + "metadata: {name: gpu-queue, namespace: "
            + cluster.namespace()
            + "}\n"
            + "spec: {clusterQueue: "
            + clusterQueue
            + "}\n");
  }

  private static void apply(TestCluster cluster, String yaml) {
    cluster
        .client()
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .forceConflicts()
        .serverSideApply();
  }

  private static void deleteQueues(TestCluster cluster, String pool, String clusterQueue) {
    cluster
        .client()
        .genericKubernetesResources("kueue.x-k8s.io/v1beta2", "ClusterQueue")
        .withName(clusterQueue)
        .delete();
    cluster
        .client()
        .genericKubernetesResources("kueue.x-k8s.io/v1beta2", "ResourceFlavor")
        .withName(pool)
        .delete();
  }
}
