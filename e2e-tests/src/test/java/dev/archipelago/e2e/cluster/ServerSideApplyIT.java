package dev.archipelago.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Server-side apply with field ownership, which the fabric8 mock server does not implement. */
@ExtendWith(TestClusterExtension.class)
class ServerSideApplyIT {

  @Test
  void createsAndUpdatesAnObjectRecordingTheFieldManager(TestCluster cluster) {
    apply(cluster, "operator", Map.of("steps", "100"), false);
    ConfigMap updated = apply(cluster, "operator", Map.of("steps", "200"), false);

    assertThat(updated.getData()).containsEntry("steps", "200");
    ManagedFieldsEntry entry =
        updated.getMetadata().getManagedFields().stream()
            .filter(f -> "operator".equals(f.getManager()))
            .findFirst()
            .orElseThrow();
    assertThat(entry.getOperation()).isEqualTo("Apply");
    assertThat(entry.getFieldsV1().getAdditionalProperties().toString()).contains("f:steps");
  }

  @Test
  void refusesAnotherManagersChangeToAnOwnedFieldUnlessForced(TestCluster cluster) {
    apply(cluster, "operator", Map.of("steps", "100"), false);

    assertThatThrownBy(() -> apply(cluster, "someone-else", Map.of("steps", "5"), false))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409))
        .hasMessageContaining("conflict");

    ConfigMap forced = apply(cluster, "someone-else", Map.of("steps", "5"), true);
    assertThat(forced.getData()).containsEntry("steps", "5");
    assertThat(forced.getMetadata().getManagedFields())
        .anyMatch(f -> "someone-else".equals(f.getManager()));
  }

  private static ConfigMap apply(
      TestCluster cluster, String manager, Map<String, String> data, boolean force) {
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("run-config")
            .endMetadata()
            .withData(data)
            .build();
    var resource = cluster.client().configMaps().resource(desired).fieldManager(manager);
    return force ? resource.forceConflicts().serverSideApply() : resource.serverSideApply();
  }
}
