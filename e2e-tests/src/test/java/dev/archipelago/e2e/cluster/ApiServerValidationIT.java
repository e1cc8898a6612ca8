package dev.archipelago.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.testcluster.CustomResourceDefinitions;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API server itself enforces a CRD's OpenAPI schema and CEL rules (no webhook involved). */
@ExtendWith(TestClusterExtension.class)
class ApiServerValidationIT {
  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("test.archipelago.dev")
          .withVersion("v1")
          .withPlural("widgets")
          .withKind("Widget")
          .withNamespaced(true)
          .build();

  @Test
  void rejectsAnObjectThatBreaksACelRuleWithTheRulesMessage(TestCluster cluster) {
    installWidgetCrd(cluster);

    assertThatThrownBy(() -> create(cluster, "inverted", 5, 2))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining("spec.minReplicas must not exceed spec.maxReplicas");
  }

  @Test
  void rejectsAnObjectThatBreaksTheOpenApiSchemaNamingTheField(TestCluster cluster) {
    installWidgetCrd(cluster);

    assertThatThrownBy(() -> create(cluster, "too-big", 1, 65))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.maxReplicas");
  }

  @Test
  void acceptsAValidObject(TestCluster cluster) {
    installWidgetCrd(cluster);

    create(cluster, "fine", 1, 3);

    GenericKubernetesResource stored =
        cluster.client().genericKubernetesResources(WIDGETS).withName("fine").get();
    assertThat(stored).isNotNull();
    assertThat(stored.get("spec", "maxReplicas").toString()).isEqualTo("3");
  }

  private static void create(TestCluster cluster, String name, int min, int max) {
    GenericKubernetesResource widget =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("test.archipelago.dev/v1")
            .withKind("Widget")
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withAdditionalProperties(
                Map.of("spec", Map.of("minReplicas", min, "maxReplicas", max)))
            .build();
    cluster.client().genericKubernetesResources(WIDGETS).resource(widget).create();
  }

  private static void installWidgetCrd(TestCluster cluster) {
    CustomResourceDefinitions.install(
        cluster.client(), ApiServerValidationIT.class.getResourceAsStream("/widgets-crd.yaml"));
  }
}
