package dev.archipelago.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.testcluster.RealNode;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testcluster.TestClusters;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The run's NetworkPolicy, enforced for real (kube-network-policies on the real node): a pod
 * labelled as the run's expert reaches the object store and nothing else; the same probe without
 * those labels reaches everything, so the denials are the policy's doing.
 */
@Tag(RealNode.TAG)
@ExtendWith(TestClusterExtension.class)
class TrainingEgressIT {
  private static final String KUBERNETES_API = "10.0.0.1:443";

  @Test
  void aTrainingPodReachesTheStoreAndNothingElse(TestCluster cluster) throws Exception {
    TestClusters.realNode();
    KubernetesClient client = cluster.client();
    try (EmbeddedS3 s3 = new EmbeddedS3(RealNode.HOST_ADDRESS_FOR_PODS);
        ServerSocket elsewhere =
            new ServerSocket(0, 50, InetAddress.getByName(RealNode.HOST_ADDRESS_FOR_PODS))) {
      String island = RealRuns.operatorAndIsland(cluster);
      DDMRun run = RealRuns.applyRun(client, s3, island, "fenced", RealRuns.RunSize.LONG);
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> !client.network().v1().networkPolicies().list().getItems().isEmpty());

      URI store = URI.create(s3.endpoint());
      String targets =
          String.join(
              " ",
              store.getHost() + ":" + store.getPort(),
              RealNode.HOST_ADDRESS_FOR_PODS + ":" + elsewhere.getLocalPort(),
              KUBERNETES_API);
      Map<String, String> expert =
          Map.of(Labels.RUN, run.getMetadata().getName(), Labels.ROLE, Role.EXPERT.label());

      String fenced = probe(client, "as-expert", expert, targets);
      String open = probe(client, "unlabelled", Map.of(), targets);

      assertThat(open).as("without the run's labels").doesNotContain("closed");
      assertThat(fenced)
          .contains(store.getHost() + ":" + store.getPort() + " open")
          .contains(RealNode.HOST_ADDRESS_FOR_PODS + ":" + elsewhere.getLocalPort() + " closed")
          .contains(KUBERNETES_API + " closed");
    }
  }

  /**
   * Tries a TCP connection to each target from a pod of the trainer image; prints "HOST:PORT
   * open|closed" per target. It waits two seconds first: the enforcer learns a new pod's address
   * from the API server, and until then it lets the pod's packets through.
   */
  private static String probe(
      KubernetesClient client, String name, Map<String, String> labels, String targets) {
    String script =
        "sleep 2; for t in "
            + targets
            + "; do h=${t%:*}; p=${t#*:};"
            + " if timeout 3 bash -c \"</dev/tcp/$h/$p\" 2>/dev/null; then echo \"$t open\";"
            + " else echo \"$t closed\"; fi; done";
    Pod pod =
        client
            .pods()
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withRestartPolicy("Never")
                    .withNodeSelector(RealNode.NODE_SELECTOR)
                    .withTolerations(RealNode.GPU_TOLERATION)
                    .addNewContainer()
                    .withName("probe")
                    .withImage(RealRuns.TRAINER_IMAGE)
                    .withImagePullPolicy("Never")
                    .withCommand("bash", "-c", script)
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "Succeeded".equals(client.pods().resource(pod).get().getStatus().getPhase()));
    return client.pods().resource(pod).getLog();
  }
}
