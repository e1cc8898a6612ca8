package dev.archipelago.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.Labels;
import dev.archipelago.e2e.flow.RunFlow;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart watching one namespace (namespaced Roles) that enforces the "restricted" Pod Security
 * Standard: the operator's own pod and every pod it creates for a run are admitted, and the run
 * reaches Serving with the operator authenticated as the chart's ServiceAccount.
 */
@ExtendWith(TestClusterExtension.class)
class RestrictedNamespaceIT {
  private static EmbeddedS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new EmbeddedS3();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  void everyPodIsAdmittedUnderRestrictedAndTheRunServesWithNamespacedRoles(TestCluster cluster)
      throws Exception {
    KubernetesClient admin = cluster.client();
    String namespace = cluster.namespace();
    admin
        .namespaces()
        .withName(namespace)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
              ns.getMetadata()
                  .getLabels()
                  .put("pod-security.kubernetes.io/enforce-version", "latest");
              return ns;
            });
    assertThat(catchThrowable(() -> admin.pods().resource(rootPod()).create()))
        .as("the namespace really enforces restricted")
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");

    Release release =
        Release.install(
            cluster, "psa", "watchNamespaces: [" + namespace + "]\nprogressPollSeconds: 0.5\n");
    OperatorConfig config = release.operatorConfig();
    assertThat(config.watchNamespaces()).containsExactly(namespace);
    List<PolicyRule> clusterWide =
        admin
            .rbac()
            .clusterRoles()
            .withName(release.deployment().getMetadata().getName())
            .get()
            .getRules();
    assertThat(clusterWide)
        .flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("nodes", "computeislands", "computeislands/status");
    await("the operator's own pod admitted")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !admin.pods().withLabel(Release.INSTANCE_LABEL, "psa").list().getItems().isEmpty());

    try (KubernetesClient asServiceAccount = release.operatorClient();
        RunFlow flow = new RunFlow(cluster, s3).islands(2)) {
      flow.startOperator(asServiceAccount, config);
      flow.createRun("restricted", 2, "");
      flow.trainToServing("restricted", 2);

      List<Pod> runPods = admin.pods().withLabel(Labels.RUN, "restricted").list().getItems();
      assertThat(runPods)
          .extracting(p -> p.getMetadata().getLabels().get(Labels.ROLE))
          .contains("partition", "expert", "router", "serve");
      assertThat(admin.v1().events().list().getItems())
          .as("no controller was refused a pod")
          .noneMatch(e -> "FailedCreate".equals(e.getReason()));
    }
    release.uninstall();
  }

  private static Pod rootPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("root")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .withNewSecurityContext()
        .withPrivileged(true)
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .build();
  }
}
