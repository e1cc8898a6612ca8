package dev.archipelago.operator.it;

import static org.awaitility.Awaitility.await;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.GpuNodePool;
import dev.archipelago.testcluster.GpuNodePools;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testfixtures.ArchipelagoCrds;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * One operator scenario on the real test cluster: GPU pools and their ComputeIslands, an S3 bucket
 * with credentials, the operator running in-process, and a DDMRun. Tests drive the trainer side
 * through {@link TrainerFixture} and kwok pod outcomes.
 */
final class RunScenario implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  final TestCluster cluster;
  final EmbeddedS3 s3;
  final Map<String, List<String>> nodesByIsland = new LinkedHashMap<>();
  private final String suffix =
      Integer.toString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff), 36);
  private ArchipelagoOperator operator;
  private final List<String> islands = new ArrayList<>();

  RunScenario(TestCluster cluster, EmbeddedS3 s3) throws Exception {
    this.cluster = cluster;
    this.s3 = s3;
    ArchipelagoCrds.ensureInstalled(cluster.client());
    s3.createBucket("runs");
    cluster.client().secrets().resource(EmbeddedS3.credentialsSecret("s3")).create();
  }

  /** Creates a GPU pool of {@code nodes} nodes and a ComputeIsland selecting it. */
  RunScenario island(String name, int nodes, Integer maxConcurrentExperts) {
    String pool = name + "-" + suffix;
    nodesByIsland.put(pool, cluster.nodePools().create(GpuNodePool.of(pool, nodes)));
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
            + "  gpu: {resourceName: nvidia.com/gpu, perNode: 8}\n"
            + (maxConcurrentExperts == null
                ? ""
                : "  maxConcurrentExperts: " + maxConcurrentExperts + "\n");
    cluster.client().resource(Serialization.unmarshal(yaml, ComputeIsland.class)).create();
    islands.add(pool);
    return this;
  }

  List<String> islands() {
    return islands;
  }

  void startOperator() throws Exception {
    startOperator(cluster.client());
  }

  /** Starts the operator with its own client (e.g. one with interceptors). */
  void startOperator(KubernetesClient operatorClient) throws Exception {
    OperatorConfig config =
        OperatorConfig.defaults()
            .withProgressPollInterval(Duration.ofMillis(500))
            .withHttpPort(0)
            .withWatchNamespaces(java.util.Set.of(cluster.namespace()));
    operator = ArchipelagoOperator.start(operatorClient, config);
  }

  void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  ArchipelagoOperator operator() {
    return operator;
  }

  DDMRun createRun(String name, int experts, String extraSpec) {
    return createRun(name, experts, extraSpec, "");
  }

  /**
   * @param storageExtra more fields of spec.storage, e.g. ", deletionPolicy: Delete"
   */
  DDMRun createRun(String name, int experts, String extraSpec, String storageExtra) {
    return createRunWithStorage(
        name, experts, extraSpec, ", credentialsSecretRef: {name: s3}" + storageExtra);
  }

  /**
   * @param storage every field of spec.storage after endpoint and bucket, e.g. "" for a run that
   *     reaches the store with its pods' own identity
   */
  DDMRun createRunWithStorage(String name, int experts, String extraSpec, String storage) {
    return createRun(
        name,
        experts,
        "{uri: 'synthetic://shapes', imageSize: 32, channels: 3}",
        extraSpec,
        storage);
  }

  /** A run of {@code dataset} (the flow-style YAML of spec.dataset). */
  DDMRun createRunOf(String name, int experts, String dataset, String extraSpec) {
    return createRun(name, experts, dataset, extraSpec, ", credentialsSecretRef: {name: s3}");
  }

  private DDMRun createRun(
      String name, int experts, String dataset, String extraSpec, String storage) {
    StringBuilder islandList = new StringBuilder();
    islands.forEach(i -> islandList.append("    - ").append(i).append('\n'));
    String yaml =
        "apiVersion: archipelago.dev/v1alpha1\n"
            + "kind: DDMRun\n"
            + "metadata: {name: "
            + name
            + "}\n"
            + "spec:\n"
            + "  dataset: "
            + dataset
            + "\n"
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
            + "', bucket: runs, prefix: it"
            + storage
            + "}\n"
            + extraSpec;
    return cluster.client().resource(Serialization.unmarshal(yaml, DDMRun.class)).create();
  }

  /**
   * Sets spec.suspend as a user would with kubectl patch: a merge patch without a resourceVersion,
   * so the operator's concurrent status writes cannot make it fail with a conflict.
   */
  void setSuspend(String name, boolean suspend) {
    patchSpec(name, "{\"suspend\":" + suspend + "}");
  }

  /** Merges {@code specJson} into the run's spec, as `kubectl patch --type merge` does. */
  void patchSpec(String name, String specJson) {
    cluster
        .client()
        .resources(DDMRun.class)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
  }

  DDMRun run(String name) {
    return cluster.client().resources(DDMRun.class).withName(name).get();
  }

  DDMRun awaitRun(String name, String what, Predicate<DDMRun> condition) {
    return await(what)
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> run(name), r -> r != null && r.getStatus() != null && condition.test(r));
  }

  ExpertStatus expert(DDMRun run, int k) {
    return run.getStatus().getExperts().stream()
        .filter(e -> e.getExpert() == k)
        .findFirst()
        .orElseThrow();
  }

  List<Job> jobs(String run, Role role) {
    return cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .withLabel(Labels.RUN, run)
        .withLabel(Labels.ROLE, role.label())
        .list()
        .getItems();
  }

  /** The running pod of the run's current Job for a role (and expert), once it is Running. */
  Pod awaitRunningPod(String run, Role role, Integer expert, int attempt) {
    return await(
            role.label()
                + (expert == null ? "" : " " + expert)
                + " attempt "
                + attempt
                + " running")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              var pods =
                  cluster
                      .client()
                      .pods()
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

  /** Expert Job names of a run, with their uids. */
  Map<String, String> expertJobUids(String run) {
    Map<String, String> uids = new LinkedHashMap<>();
    jobs(run, Role.EXPERT)
        .forEach(j -> uids.put(j.getMetadata().getName(), j.getMetadata().getUid()));
    return uids;
  }

  /** Creates a run and plays its partition, so that its experts start. */
  DDMRun startTraining(String name, int experts, String extraSpec) {
    createRun(name, experts, extraSpec);
    awaitRun(name, "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
    completePartition(run(name), experts);
    return run(name);
  }

  /** The value of an env var of the pod's trainer container. */
  static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  static boolean isTrue(DDMRun run, String type) {
    return run.getStatus().getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String conditionMessage(DDMRun run, String type) {
    return run.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getMessage();
  }

  /** Plays the partition: writes cluster sizes and lets the partition pod succeed. */
  void completePartition(DDMRun run, int experts) {
    Pod pod = awaitRunningPod(run.getMetadata().getName(), Role.PARTITION, null, 1);
    new TrainerFixture(s3, run).writeClusterSizes(experts, 100);
    cluster.pods().succeed(pod.getMetadata().getName());
  }

  @Override
  public void close() {
    if (operator != null) {
      // Let the running operator release its finalizers, so the namespace can go away.
      cluster.client().resources(DDMRun.class).delete();
      await("runs deleted")
          .atMost(TIMEOUT)
          .until(() -> cluster.client().resources(DDMRun.class).list().getItems().isEmpty());
    }
    stopOperator();
    for (String island : islands) {
      cluster.client().resources(ComputeIsland.class).withName(island).delete();
    }
  }
}
