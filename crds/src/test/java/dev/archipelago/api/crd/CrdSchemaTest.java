package dev.archipelago.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What `kubectl explain` and `kubectl get` show, checked on the generated CRDs. */
class CrdSchemaTest {
  /** Core Kubernetes types embedded as they are; fabric8's model carries no descriptions. */
  private static final Set<String> CORE_TYPES =
      Set.of(
          "spec.affinity",
          "spec.tolerations[]",
          "spec.storage.egress.namespaceSelector",
          "spec.storage.egress.podSelector");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {CrdFiles.DDM_RUNS, CrdFiles.COMPUTE_ISLANDS})
  void everyFieldOfSpecAndStatusHasADescription(String crd) {
    JSONSchemaProps root = version(CrdFiles.load(crd)).getSchema().getOpenAPIV3Schema();
    List<String> undescribed = new ArrayList<>();
    collectUndescribed("spec", root.getProperties().get("spec"), undescribed);
    collectUndescribed("status", root.getProperties().get("status"), undescribed);
    assertThat(undescribed).as("fields without a description").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {CrdFiles.DDM_RUNS, CrdFiles.COMPUTE_ISLANDS})
  void everyValidationMessageNamesTheFieldItIsAbout(String crd) {
    List<String> messages = new ArrayList<>();
    collectRuleMessages(version(CrdFiles.load(crd)).getSchema().getOpenAPIV3Schema(), messages);
    assertThat(messages)
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m).matches("^(spec\\.|metadata\\.name ).*"));
  }

  @Test
  void ddmRunsAreNamespacedWithShortNameDdmAndAStatusSubresource() {
    CustomResourceDefinition crd = CrdFiles.load(CrdFiles.DDM_RUNS);
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ddm");
    assertThat(version(crd).getSubresources().getStatus()).isNotNull();
  }

  @Test
  void computeIslandsAreClusterScoped() {
    assertThat(CrdFiles.load(CrdFiles.COMPUTE_ISLANDS).getSpec().getScope()).isEqualTo("Cluster");
  }

  @Test
  void ddmRunsShowPhaseExpertsReadyAndAge() {
    assertThat(version(CrdFiles.load(CrdFiles.DDM_RUNS)).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactlyInAnyOrder("Phase", "Experts", "Ready", "Age");
  }

  @ParameterizedTest(name = "spec.{0}")
  @ValueSource(strings = {"dataset", "partitioning", "model"})
  void sectionsThatTrainedExpertsDependOnAreImmutable(String section) {
    JSONSchemaProps spec =
        version(CrdFiles.load(CrdFiles.DDM_RUNS))
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    assertThat(spec.getProperties().get(section).getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .contains("self == oldSelf");
  }

  private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    return crd.getSpec().getVersions().get(0);
  }

  private static void collectUndescribed(String path, JSONSchemaProps props, List<String> out) {
    if (props.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : props.getProperties().entrySet()) {
        String child = path + "." + e.getKey();
        if (e.getValue().getDescription() == null || e.getValue().getDescription().isBlank()) {
          out.add(child);
        }
        if (!CORE_TYPES.contains(child)) {
          collectUndescribed(child, e.getValue(), out);
        }
      }
    }
    if (props.getItems() != null && props.getItems().getSchema() != null) {
      String items = path + "[]";
      if (!CORE_TYPES.contains(items)) {
        collectUndescribed(items, props.getItems().getSchema(), out);
      }
    }
  }

  private static void collectRuleMessages(JSONSchemaProps props, List<String> out) {
    if (props.getXKubernetesValidations() != null) {
      props.getXKubernetesValidations().forEach(r -> out.add(r.getMessage()));
    }
    if (props.getProperties() != null) {
      props.getProperties().values().forEach(p -> collectRuleMessages(p, out));
    }
    if (props.getItems() != null && props.getItems().getSchema() != null) {
      collectRuleMessages(props.getItems().getSchema(), out);
    }
  }
}
