package dev.archipelago.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.e2e.chart.Release;
import dev.archipelago.testcluster.RealNode;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testcluster.TestClusters;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in real containers on the test cluster's real node (the trainer runs on its
 * CPU, the node's GPUs being an advertised fake): the chart installs the operator image, which runs
 * in the cluster as the chart's ServiceAccount; a two-expert run is partitioned, trained and served
 * by the trainer image with the pod spec the operator renders, in a namespace that enforces the
 * restricted Pod Security Standard.
 */
@Tag(RealNode.TAG)
@ExtendWith(TestClusterExtension.class)
class TrainInRealContainersIT {
  private static final Logger LOG = LoggerFactory.getLogger(TrainInRealContainersIT.class);

  @Test
  void helmInstalledOperatorTrainsAndServesARunInRealContainersOnCpu(TestCluster cluster)
      throws Exception {
    TestClusters.realNode();
    KubernetesClient client = cluster.client();
    RealRuns.enforceRestricted(client, cluster.namespace());
    try (EmbeddedS3 s3 = new EmbeddedS3(RealNode.HOST_ADDRESS_FOR_PODS)) {
      long start = System.nanoTime();
      Release release = RealRuns.installOperator(cluster);
      Pod operator = RealRuns.awaitOperatorReady(client, release);
      assertThat(operator.getSpec().getNodeName()).isEqualTo(RealNode.NAME);
      assertThat(operator.getSpec().getServiceAccountName()).isEqualTo(release.serviceAccount());
      // Leader election on: the pod holds the chart's Lease before it reconciles.
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                var lease = client.leases().withName("archipelago-operator").get();
                return lease != null
                    && operator.getMetadata().getName().equals(lease.getSpec().getHolderIdentity());
              });

      String island = RealRuns.createIsland(client, cluster.namespace());
      PodMemoryPeaks memory = new PodMemoryPeaks(client, cluster.namespace());
      DDMRun run = RealRuns.applyRun(client, s3, island, "shapes", RealRuns.RunSize.SHORT);
      long applied = System.nanoTime();

      Pod firstExpert = RealRuns.awaitExpertPodRunning(client, run);
      LOG.info(
          "apply -> first expert pod Running: {} ms", (System.nanoTime() - applied) / 1_000_000);
      assertThat(firstExpert.getStatus().getContainerStatuses().get(0).getContainerID())
          .startsWith("containerd://");
      // Limits equal requests; libtorch's pool sized to the CPU limit (500m: one thread).
      assertThat(firstExpert.getStatus().getQosClass()).isEqualTo("Guaranteed");
      assertThat(exec(client, firstExpert, "printenv", "OMP_NUM_THREADS")).isEqualTo("1");

      // Progress comes from the real trainers through the object store.
      await()
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  RealRuns.get(client, run).getStatus().getExperts().stream()
                      .anyMatch(e -> e.getStep() != null && e.getStep() > 0));

      DDMRun serving = RealRuns.awaitPhase(client, run, RunPhase.Serving, Duration.ofMinutes(15));
      memory.close();
      memory
          .peaks()
          .forEach(
              (pod, peak) ->
                  LOG.info(
                      "{}: peak RSS {} MiB, working set {} MiB (trainer pods limit {})",
                      pod,
                      peak.rssBytes() >> 20,
                      peak.workingSetBytes() >> 20,
                      RealRuns.RunSize.SHORT.memory()));
      assertThat(memory.peaks()).as("samples of the trainers' memory").isNotEmpty();
      LOG.info("apply -> Serving: {} s", (System.nanoTime() - applied) / 1_000_000_000);
      assertThat(serving.getStatus().getExperts())
          .allSatisfy(
              e -> assertThat(e.getStep()).isEqualTo((long) RealRuns.RunSize.SHORT.steps()));
      assertThat(client.pods().resource(firstExpert).getLog())
          .contains("libtorch intra-op threads: 1 (OMP_NUM_THREADS, the container's CPU limit)");
      LOG.info(
          "container start -> training loop: {} ms", containerStartToTraining(client, firstExpert));
      RealRuns.awaitInferenceReady(client, run);
      LOG.info("apply -> inference ready: {} s", (System.nanoTime() - applied) / 1_000_000_000);

      try (LocalPortForward forward =
          client
              .services()
              .withName(serving.getStatus().getInference().getServiceName())
              .portForward(8080)) {
        String base = "http://127.0.0.1:" + forward.getLocalPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

        List<String> images =
            RealRuns.generate(
                base, "{\"count\": 3, \"seed\": 7, \"steps\": 4, \"format\": \"json\"}");
        assertThat(images).hasSize(3);
        for (String png : images) {
          var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
          assertThat(image).isNotNull();
          assertThat(image.getWidth()).isEqualTo(RealRuns.IMAGE_SIZE);
          assertThat(image.getHeight()).isEqualTo(RealRuns.IMAGE_SIZE);
        }
      }
      LOG.info("whole real-container flow: {} s", (System.nanoTime() - start) / 1_000_000_000);
    }
  }

  /**
   * From the kubelet's start of the container to the trainer's "training on" line (JVM, engine,
   * data and model set up), by the kubelet's own log timestamps.
   */
  private static long containerStartToTraining(KubernetesClient client, Pod pod) {
    Pod ended = client.pods().resource(pod).get();
    var state = ended.getStatus().getContainerStatuses().get(0).getState();
    String started =
        state.getTerminated() != null
            ? state.getTerminated().getStartedAt()
            : state.getRunning().getStartedAt();
    String line =
        client
            .pods()
            .resource(pod)
            .usingTimestamps()
            .getLog()
            .lines()
            .filter(l -> l.contains("training on"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no 'training on' line in the expert's log"));
    java.time.Instant training = java.time.Instant.parse(line.substring(0, line.indexOf(' ')));
    return java.time.Duration.between(java.time.Instant.parse(started), training).toMillis();
  }

  private static String exec(KubernetesClient client, Pod pod, String... command) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    try (var watch =
        client.pods().resource(pod).inContainer("trainer").writingOutput(out).exec(command)) {
      watch.exitCode().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
  }
}
