package dev.archipelago.e2e.flow;

import static org.awaitility.Awaitility.await;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.GpuNodePool;
import dev.archipelago.testcluster.GpuNodePools;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A user's DDMRun on the test cluster, driven end to end: GPU pools with their ComputeIslands, an
 * S3 bucket and credentials Secret, the operator in-process under whatever identity the test gives
 * it, and the trainer's side played through the contract and kwok pod outcomes. The user's actions
 * (islands, runs, secrets) use the admin client, as a user with their own rights would.
 */
public final class RunFlow implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final TestCluster cluster;
  private final KubernetesClient user;
  private final EmbeddedS3 s3;
  private final List<String> islands = new ArrayList<>();
  private final String suffix =
      Integer.toString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff), 36);
  private ArchipelagoOperator operator;
  private KubernetesClient operatorClient;

  public RunFlow(TestCluster cluster, EmbeddedS3 s3) throws Exception {
    this.cluster = cluster;
    this.user = cluster.client();
    this.s3 = s3;
    Crds.ensureInstalled(user);
    s3.createBucket("runs");
    user.secrets().resource(EmbeddedS3.credentialsSecret("s3")).create();
  }

  /** {@code count} GPU pools of one node each, and a ComputeIsland selecting each. */
  public RunFlow islands(int count) {
    for (int i = 0; i < count; i++) {
      String pool = "isl-" + (char) ('a' + i) + "-" + suffix;
      cluster.nodePools().create(GpuNodePool.of(pool, 1));
      String yaml =
          "apiVersion: archipelago.dev/v1alpha1\n"
              + "kind: ComputeIsland\n"
              + "metadata: {name: "
              + pool
              + "}\n"
              + "spec:\n"
              + "  nodeSelector: {"
              + GpuNodePools.POOL_LABEL
              + ": "
              + pool
              + "}\n"
              + "  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n"
              + "  gpu: {resourceName: nvidia.com/gpu, perNode: 8}\n";
      user.resource(Serialization.unmarshal(yaml, ComputeIsland.class)).create();
      islands.add(pool);
    }
    return this;
  }

  /** Starts the operator in this JVM, authenticated by {@code client}. */
  public void startOperator(KubernetesClient client, OperatorConfig config) throws Exception {
    operatorClient = client;
    operator = ArchipelagoOperator.start(client, config.withHttpPort(0));
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public DDMRun createRun(String name, int experts, String extraSpec) {
    StringBuilder islandList = new StringBuilder();
    islands.forEach(i -> islandList.append("    - ").append(i).append('\n'));
    String yaml =
        "apiVersion: archipelago.dev/v1alpha1\n"
            + "kind: DDMRun\n"
            + "metadata: {name: "
            + name
            + "}\n"
            + "spec:\n"
            + "  dataset: {uri: 'synthetic://shapes', imageSize: 32, channels: 3}\n"
            + "  partitioning: {experts: "
            + experts
            + ", method: kmeans, fineClusters: 64, seed: 1}\n"
            + "  model: {preset: tiny}\n"
            + "  training: {steps: 1000, batchSize: 32, checkpointEvery: 100}\n"
            + "  islands:\n"
            + islandList
            + "  resources: {gpus: 1, cpu: '2', memory: 4Gi}\n"
            + "  image: archipelago/trainer:test\n"
            + "  storage: {endpoint: '"
            + s3.endpoint()
            + "', bucket: runs, prefix: e2e, credentialsSecretRef: {name: s3}}\n"
            + extraSpec;
    return user.resource(Serialization.unmarshal(yaml, DDMRun.class)).create();
  }

  public DDMRun run(String name) {
    return user.resources(DDMRun.class).withName(name).get();
  }

  public DDMRun awaitRun(String name, String what, Predicate<DDMRun> condition) {
    return await(name + ": " + what)
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> run(name), r -> r != null && r.getStatus() != null && condition.test(r));
  }

  /** The Running pod of a role's (and expert's) current Job attempt. */
  public Pod awaitRunningPod(String run, Role role, Integer expert, int attempt) {
    return await(run + ": " + role.label() + (expert == null ? "" : " " + expert) + " running")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              var pods =
                  user.pods()
                      .withLabel(Labels.RUN, run)
                      .withLabel(Labels.ROLE, role.label())
                      .withLabel(Labels.ATTEMPT, Integer.toString(attempt));
              if (expert != null) {
                pods = pods.withLabel(Labels.EXPERT, Integer.toString(expert));
              }
              return pods.list().getItems().stream()
                  .filter(
                      p ->
                          "Running".equals(p.getStatus().getPhase())
                              && p.getMetadata().getDeletionTimestamp() == null)
                  .findFirst()
                  .orElse(null);
            },
            p -> p != null);
  }

  /** Plays the partition: cluster sizes in storage, then the partition pod succeeds. */
  public void completePartition(String name, int experts) {
    awaitRun(name, "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
    Pod pod = awaitRunningPod(name, Role.PARTITION, null, 1);
    new TrainerFixture(s3, run(name)).writeClusterSizes(experts, 100);
    cluster.pods().succeed(pod.getMetadata().getName());
  }

  /** The whole training: partition, every expert (with progress) and the router succeed. */
  public DDMRun trainToServing(String name, int experts) {
    completePartition(name, experts);
    TrainerFixture trainer = new TrainerFixture(s3, run(name));
    List<Pod> pods = new ArrayList<>();
    for (int k = 0; k < experts; k++) {
      pods.add(awaitRunningPod(name, Role.EXPERT, k, 1));
      trainer.writeExpertProgress(k, 1, 500, 1000, 500L);
    }
    awaitRun(
        name,
        "experts report progress",
        r -> r.getStatus().getExperts().stream().allMatch(e -> e.getStep() != null));
    pods.add(awaitRunningPod(name, Role.ROUTER, null, 1));
    for (Pod pod : pods) {
      cluster.pods().succeed(pod.getMetadata().getName());
    }
    return awaitRun(
        name,
        "Serving and Ready",
        r -> r.getStatus().getPhase() == RunPhase.Serving && isTrue(r, ConditionType.READY));
  }

  public static boolean isTrue(DDMRun run, String type) {
    return run.getStatus().getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && ConditionType.TRUE.equals(c.getStatus()));
  }

  public static String message(DDMRun run, String type) {
    return run.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse("");
  }

  public List<String> islands() {
    return islands;
  }

  /**
   * Deletes the runs (the running operator releases its finalizers; without one, the test removes
   * them), then stops the operator and removes the islands.
   */
  @Override
  public void close() {
    if (operator == null) {
      for (DDMRun run : user.resources(DDMRun.class).list().getItems()) {
        user.resources(DDMRun.class)
            .withName(run.getMetadata().getName())
            .edit(
                r -> {
                  r.getMetadata().setFinalizers(List.of());
                  return r;
                });
      }
    }
    user.resources(DDMRun.class).delete();
    await("runs deleted")
        .atMost(TIMEOUT)
        .until(() -> user.resources(DDMRun.class).list().getItems().isEmpty());
    stopOperator();
    if (operatorClient != null) {
      operatorClient.close();
    }
    for (String island : islands) {
      user.resources(ComputeIsland.class).withName(island).delete();
    }
  }
}
