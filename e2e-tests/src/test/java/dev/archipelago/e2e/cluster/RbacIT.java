package dev.archipelago.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Authentication and RBAC authorization are really on. */
@ExtendWith(TestClusterExtension.class)
class RbacIT {

  @Test
  void aServiceAccountMayListPodsOnlyAfterARoleBindingAllowsIt(TestCluster cluster) {
    cluster
        .client()
        .serviceAccounts()
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("reader").endMetadata().build())
        .create();

    try (KubernetesClient reader = cluster.clientAs("reader")) {
      assertThatThrownBy(() -> reader.pods().list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
          .hasMessageContaining("system:serviceaccount:" + cluster.namespace() + ":reader")
          .hasMessageContaining("cannot list resource \"pods\"");

      cluster
          .client()
          .rbac()
          .roles()
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("pod-reader")
                  .endMetadata()
                  .addNewRule()
                  .withApiGroups("")
                  .withResources("pods")
                  .withVerbs("get", "list")
                  .endRule()
                  .build())
          .create();
      cluster
          .client()
          .rbac()
          .roleBindings()
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("reader-reads-pods")
                  .endMetadata()
                  .withNewRoleRef()
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withKind("Role")
                  .withName("pod-reader")
                  .endRoleRef()
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName("reader")
                  .withNamespace(cluster.namespace())
                  .endSubject()
                  .build())
          .create();

      // The authorizer's RBAC cache follows informers, so the grant takes effect shortly after.
      await("reader may list pods")
          .atMost(Duration.ofSeconds(30))
          .ignoreException(KubernetesClientException.class)
          .until(() -> reader.pods().list().getItems() != null);
      assertThatThrownBy(() -> reader.configMaps().list())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("cannot list resource \"configmaps\"");
    }
  }
}
