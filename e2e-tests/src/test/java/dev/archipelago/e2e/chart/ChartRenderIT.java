package dev.archipelago.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.e2e.flow.Crds;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code helm template} with the default values and with the namespaced-watch values renders
 * objects the API server accepts (server-side dry-run: schema, CRD validation, admission).
 */
@ExtendWith(TestClusterExtension.class)
class ChartRenderIT {
  private static final List<String> TEAM_NAMESPACES =
      List.of("archipelago-team-a", "archipelago-team-b");

  private final Helm helm = Helm.offline();

  @Test
  void defaultValuesRenderObjectsTheApiServerAccepts(TestCluster cluster) {
    List<HasMetadata> objects = render(cluster, List.of());
    assertThat(kinds(objects))
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Service",
            "Deployment");
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getStrategy().getType())
        .as("one replica without leader election must never overlap")
        .isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/archipelago-dev/operator:0.1.0");
    assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
        .as("the operator image's uid (Jib's container.user)")
        .isEqualTo(10001L);
    dryRun(cluster.client(), objects);
  }

  @Test
  void namespacedWatchValuesRenderRolesPerNamespaceThatTheApiServerAccepts(TestCluster cluster) {
    KubernetesClient admin = cluster.client();
    for (String ns : TEAM_NAMESPACES) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    try {
      List<HasMetadata> objects =
          render(
              cluster,
              List.of("--values", ChartFiles.ciValues("namespaced-watch-values.yaml").toString()));
      assertThat(
              objects.stream()
                  .filter(
                      o ->
                          o instanceof Role
                              && !o.getMetadata().getName().endsWith("-leader-election"))
                  .map(o -> o.getMetadata().getNamespace()))
          .containsExactlyInAnyOrderElementsOf(TEAM_NAMESPACES);
      assertThat(only(objects, ClusterRole.class).getRules())
          .as("only cluster-scoped rules stay cluster-wide")
          .flatExtracting(PolicyRule::getResources)
          .containsExactlyInAnyOrder("nodes", "computeislands", "computeislands/status");
      assertThat(only(objects, Deployment.class).getSpec().getStrategy().getType())
          .isEqualTo("RollingUpdate");
      assertThat(kinds(objects)).contains("ComputeIsland", "ServiceMonitor");
      assertServiceMonitorScrapesTheMetricsService(objects);
      dryRun(admin, objects.stream().filter(o -> !"ServiceMonitor".equals(o.getKind())).toList());
    } finally {
      TEAM_NAMESPACES.forEach(ns -> admin.namespaces().withName(ns).delete());
    }
  }

  private List<HasMetadata> render(TestCluster cluster, List<String> values) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "template",
                "render",
                ChartFiles.CHART.toString(),
                "--namespace",
                cluster.namespace(),
                "--include-crds"));
    args.addAll(values);
    String yaml = helm.ok(args.toArray(String[]::new));
    List<HasMetadata> objects =
        cluster
            .client()
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .items();
    assertNoWildcards(objects);
    return objects;
  }

  /** Every object through the API server's validation and admission, persisting nothing. */
  private static void dryRun(KubernetesClient client, List<HasMetadata> objects) {
    Crds.ensureInstalled(client);
    for (HasMetadata object : objects) {
      client
          .resource(object)
          .dryRun()
          .fieldManager("chart-dry-run")
          .forceConflicts()
          .serverSideApply();
    }
  }

  private static void assertNoWildcards(List<HasMetadata> objects) {
    Stream<PolicyRule> rules =
        objects.stream()
            .flatMap(
                o ->
                    o instanceof ClusterRole c
                        ? c.getRules().stream()
                        : o instanceof Role r ? r.getRules().stream() : Stream.empty());
    rules.forEach(
        rule -> {
          assertThat(rule.getVerbs()).doesNotContain("*");
          assertThat(rule.getResources()).doesNotContain("*");
          assertThat(rule.getApiGroups()).doesNotContain("*");
        });
  }

  @SuppressWarnings("unchecked")
  private static void assertServiceMonitorScrapesTheMetricsService(List<HasMetadata> objects) {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource)
            objects.stream().filter(o -> "ServiceMonitor".equals(o.getKind())).findFirst().get();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    Service service = only(objects, Service.class);
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, String> selector =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertThat(service.getSpec().getPorts())
        .anyMatch(p -> p.getName().equals(endpoint.get("port")));
    assertThat(endpoint.get("path")).isEqualTo("/metrics");
  }

  private static List<String> kinds(List<HasMetadata> objects) {
    return objects.stream().map(HasMetadata::getKind).toList();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as(type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }
}
