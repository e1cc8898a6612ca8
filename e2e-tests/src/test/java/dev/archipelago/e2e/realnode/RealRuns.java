package dev.archipelago.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.e2e.chart.Release;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.GpuNodePools;
import dev.archipelago.testcluster.RealNode;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of a user's run on the real node: chart, island, bucket, manifest, waiting. */
final class RealRuns {
  static final int IMAGE_SIZE = 16;

  /** The operator's default trainer image, as the build tags it. */
  static final String TRAINER_IMAGE = OperatorConfig.DEFAULT_TRAINER_IMAGE;

  /** How long experts train, on how big a batch, in how much memory, holding how many GPUs. */
  record RunSize(int steps, int batchSize, String memory, int gpus) {
    /** Trains to the end in well under a minute. */
    static final RunSize SHORT = new RunSize(30, 16, "2Gi", 0);

    /** Still training when the test acts on it. */
    static final RunSize LONG = new RunSize(5000, 16, "2Gi", 0);

    /** The partition of 256 small images fits its memory, an expert's batches of 2048 do not. */
    static final RunSize OOM = new RunSize(5000, 2048, "400Mi", 0);

    /** Experts get one of the node's advertised GPUs, which no engine can see. */
    static final RunSize FAKE_GPU = new RunSize(30, 16, "2Gi", 1);
  }

  private static final Logger LOG = LoggerFactory.getLogger(RealRuns.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RealRuns() {}

  /** What a platform team sets on a namespace for untrusted workloads. */
  static void enforceRestricted(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .withName(namespace)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
              n.getMetadata()
                  .getLabels()
                  .put("pod-security.kubernetes.io/enforce-version", "latest");
              return n;
            });
  }

  /**
   * The chart with the image the build made (its default name and tag), on the real node: the test
   * cluster's only real node is a tainted GPU node, where a user would pick a CPU pool.
   */
  static Release installOperator(TestCluster cluster) {
    String values =
        String.join(
            "\n",
            "image: {pullPolicy: IfNotPresent}",
            "leaderElection: {enabled: true}",
            "watchNamespaces: [" + cluster.namespace() + "]",
            "progressPollSeconds: 3",
            "nodeSelector: {" + GpuNodePools.POOL_LABEL + ": " + RealNode.POOL + "}",
            "tolerations: [{key: " + GpuNodePools.GPU_RESOURCE + ", operator: Exists}]",
            "");
    // Its ClusterRole outlives the test's namespace: a name of the test's own.
    return Release.install(cluster, "op-" + cluster.namespace().replaceAll(".*-", ""), values);
  }

  static Pod awaitOperatorReady(KubernetesClient client, Release release) {
    String deployment = release.deployment().getMetadata().getName();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              var status = client.apps().deployments().withName(deployment).get().getStatus();
              return status.getReadyReplicas() != null && status.getReadyReplicas() == 1;
            });
    return client.pods().withLabel(Release.INSTANCE_LABEL, release.name()).list().getItems().get(0);
  }

  /** The operator installed by the chart and running, and an island on the real node; its name. */
  static String operatorAndIsland(TestCluster cluster) {
    awaitOperatorReady(cluster.client(), installOperator(cluster));
    return createIsland(cluster.client(), cluster.namespace());
  }

  static String createIsland(KubernetesClient client, String namespace) {
    String name = "real-" + namespace;
    String yaml =
        String.join(
            "\n",
            "apiVersion: archipelago.dev/v1alpha1",
            "kind: ComputeIsland",
            "metadata: {name: " + name + "}",
            "spec:",
            "  nodeSelector: {" + GpuNodePools.POOL_LABEL + ": " + RealNode.POOL + "}",
            "  tolerations: [{key: " + GpuNodePools.GPU_RESOURCE + ", operator: Exists}]",
            "  gpu: {resourceName: "
                + GpuNodePools.GPU_RESOURCE
                + ", perNode: "
                + RealNode.GPUS
                + "}",
            "");
    client.resource(yaml).serverSideApply();
    return name;
  }

  /**
   * A bucket, its credentials and a two-expert run of generated shapes on {@code island}. Unless
   * the size says otherwise the pods ask for no GPU: the node's are fake and the trainer refuses to
   * fall back to the CPU.
   */
  static DDMRun applyRun(
      KubernetesClient client, EmbeddedS3 s3, String island, String name, RunSize size)
      throws Exception {
    return applyRun(
        client,
        s3,
        island,
        name,
        size,
        "{uri: 'synthetic://shapes?samples=256&shardSize=128', imageSize: "
            + IMAGE_SIZE
            + ", channels: 3}",
        "");
  }

  /**
   * @param dataset spec.dataset as flow-style YAML
   * @param inferenceExtra more fields of spec.inference, one per line, indented by four
   */
  static DDMRun applyRun(
      KubernetesClient client,
      EmbeddedS3 s3,
      String island,
      String name,
      RunSize size,
      String dataset,
      String inferenceExtra)
      throws Exception {
    s3.createBucket("runs");
    client.secrets().resource(EmbeddedS3.credentialsSecret("s3")).serverSideApply();
    String yaml =
        String.join(
            "\n",
            "apiVersion: archipelago.dev/v1alpha1",
            "kind: DDMRun",
            "metadata: {name: " + name + "}",
            "spec:",
            "  imagePullPolicy: IfNotPresent",
            "  dataset: " + dataset,
            "  partitioning: {experts: 2, method: kmeans, fineClusters: 8, seed: 1}",
            "  model: {preset: tiny}",
            "  training: {steps: "
                + size.steps()
                + ", batchSize: "
                + size.batchSize()
                + ", learningRate: 0.003, warmupSteps: 5, checkpointEvery: 10}",
            "  islands: [" + island + "]",
            "  resources: {gpus: " + size.gpus() + ", cpu: 500m, memory: " + size.memory() + "}",
            "  router: {preset: tiny, steps: 20, batchSize: 32}",
            "  storage:",
            "    endpoint: " + s3.endpoint(),
            "    bucket: runs",
            "    prefix: " + name,
            "    credentialsSecretRef: {name: s3}",
            "  inference:",
            "    enabled: true",
            "    strategy: top1",
            "    samplingSteps: 4",
            "    resources: {gpus: 0, cpu: 500m, memory: 2Gi}",
            inferenceExtra);
    return client.resource(Serialization.unmarshal(yaml, DDMRun.class)).create();
  }

  static DDMRun get(KubernetesClient client, DDMRun run) {
    return client.resources(DDMRun.class).withName(run.getMetadata().getName()).get();
  }

  static DDMRun awaitPhase(KubernetesClient client, DDMRun run, RunPhase phase, Duration timeout) {
    String[] last = {""};
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              DDMRun now = get(client, run);
              var status = now.getStatus();
              String line =
                  status == null
                      ? "no status"
                      : status.getPhase() + " experts " + status.getExpertsSummary();
              if (!line.equals(last[0])) {
                LOG.info("{}: {}", run.getMetadata().getName(), line);
                last[0] = line;
              }
              if (status != null && status.getPhase() == RunPhase.Failed) {
                throw new AssertionError("run failed: " + Serialization.asYaml(status));
              }
              return status != null && status.getPhase() == phase;
            });
    return get(client, run);
  }

  static Pod awaitExpertPodRunning(KubernetesClient client, DDMRun run) {
    Pod[] found = {null};
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              found[0] = runningPod(client, run, Role.EXPERT).orElse(null);
              return found[0] != null;
            });
    return found[0];
  }

  static Optional<Pod> runningPod(KubernetesClient client, DDMRun run, Role role) {
    return client
        .pods()
        .withLabels(Map.of(Labels.RUN, run.getMetadata().getName(), Labels.ROLE, role.label()))
        .list()
        .getItems()
        .stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .findFirst();
  }

  /** The base64 PNGs of a {@code format: json} generate response. */
  /** Waits until the run's status says its inference Service is ready. */
  static void awaitInferenceReady(KubernetesClient client, DDMRun run) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> Boolean.TRUE.equals(get(client, run).getStatus().getInference().getReady()));
  }

  /** POSTs {@code body} (JSON format) to {@code base}/v1/generate; the base64 PNGs it returned. */
  static List<String> generate(String base, String body) throws Exception {
    HttpResponse<String> generated =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/v1/generate"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofMinutes(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
    return images(generated.body());
  }

  static List<String> images(String body) throws Exception {
    List<String> images = new ArrayList<>();
    for (JsonNode image : JSON.readTree(body).get("images")) {
      images.add(image.asText());
    }
    return images;
  }
}
