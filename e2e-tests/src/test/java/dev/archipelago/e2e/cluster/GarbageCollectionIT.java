package dev.archipelago.e2e.cluster;

import static org.awaitility.Awaitility.await;

import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kube-controller-manager's garbage collector follows owner references. */
@ExtendWith(TestClusterExtension.class)
class GarbageCollectionIT {

  @Test
  void deletingAnOwnerGarbageCollectsTheObjectsItOwns(TestCluster cluster) {
    ConfigMap owner =
        cluster
            .client()
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("owner")
                    .endMetadata()
                    .withData(Map.of("role", "owner"))
                    .build())
            .create();
    cluster
        .client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned")
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();

    cluster.client().configMaps().withName("owner").delete();

    await("owned ConfigMap collected")
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.client().configMaps().withName("owned").get() == null);
  }
}
