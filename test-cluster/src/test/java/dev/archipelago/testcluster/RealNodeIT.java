package dev.archipelago.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real node joins the kwok cluster as a GPU pool would, and runs containers for real. */
@Tag(RealNode.TAG)
@ExtendWith(TestClusterExtension.class)
class RealNodeIT {

  @Test
  void joinsAsAGpuPoolThatKwokLeavesAlone(KubernetesClient client) {
    TestClusters.realNode();
    Node node = client.nodes().withName(RealNode.NAME).get();

    assertThat(node.getMetadata().getLabels())
        .containsEntry(GpuNodePools.POOL_LABEL, RealNode.POOL);
    assertThat(node.getMetadata().getAnnotations())
        .doesNotContainKey(GpuNodePools.KWOK_NODE_ANNOTATION);
    assertThat(node.getSpec().getTaints())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo(GpuNodePools.GPU_RESOURCE));
    assertThat(node.getStatus().getAllocatable())
        .containsEntry(GpuNodePools.GPU_RESOURCE, new Quantity("" + RealNode.GPUS));
    // A real kubelet reports its runtime; kwok's fake nodes report none of this.
    assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .startsWith("containerd://");
  }

  @Test
  void runsARestrictedPodInARealContainerOnThePodNetwork(KubernetesClient client) {
    TestClusters.realNode();
    Pod pod =
        client
            .pods()
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("sandbox")
                    .endMetadata()
                    .withNewSpec()
                    .withNodeSelector(RealNode.NODE_SELECTOR)
                    .withTolerations(RealNode.GPU_TOLERATION)
                    .withTerminationGracePeriodSeconds(5L)
                    .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(65535L)
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .endSecurityContext()
                    .addNewContainer()
                    .withName("pause")
                    .withImage(RealNode.SANDBOX_IMAGE)
                    .withImagePullPolicy("Never")
                    .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .endCapabilities()
                    .endSecurityContext()
                    .endContainer()
                    .endSpec()
                    .build())
            .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(client.pods().resource(pod).get().getStatus().getPhase()));
    Pod running = client.pods().resource(pod).get();
    assertThat(running.getSpec().getNodeName()).isEqualTo(RealNode.NAME);
    assertThat(running.getStatus().getPodIP()).startsWith("10.244.77.");
    assertThat(running.getStatus().getContainerStatuses().get(0).getContainerID())
        .startsWith("containerd://");

    client.pods().resource(running).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().resource(running).get() == null);
  }
}
