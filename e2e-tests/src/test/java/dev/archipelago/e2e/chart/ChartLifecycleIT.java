package dev.archipelago.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.e2e.flow.RunFlow;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * helm install, a whole DDMRun with the operator authenticated as the chart's ServiceAccount (so
 * the chart's RBAC is proven sufficient), helm upgrade, helm uninstall.
 */
@ExtendWith(TestClusterExtension.class)
class ChartLifecycleIT {
  /**
   * One replica: JOSDK exits the JVM when a leader-electing operator stops, which a test that
   * restarts the operator in-process cannot survive; ChartRbacIT proves the Lease rules instead.
   */
  private static final String VALUES = "progressPollSeconds: 0.5\n";

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
  void theChartsServiceAccountRunsAWholeRunThatUpgradeAndUninstallLeaveAlone(TestCluster cluster)
      throws Exception {
    KubernetesClient admin = cluster.client();
    Release release = Release.install(cluster, "arch", VALUES);
    OperatorConfig config = release.operatorConfig();
    assertThat(config.leaderElection()).as("no leader election with 1 replica").isFalse();
    assertThat(config.watchNamespaces()).as("all namespaces").isEmpty();

    try (KubernetesClient asServiceAccount = release.operatorClient();
        RunFlow flow = new RunFlow(cluster, s3).islands(2)) {
      flow.startOperator(asServiceAccount, config);
      flow.createRun("flow", 2, "");
      DDMRun serving = flow.trainToServing("flow", 2);
      RunChildren children = RunChildren.of(admin, "flow");
      assertThat(children.identities()).containsKeys("Deployment/flow-serve", "Service/flow-serve");

      long deploymentGeneration = release.deployment().getMetadata().getGeneration();
      release.upgrade(VALUES + "logLevel: DEBUG\ntrainerImage: registry.example.com/trainer:2\n");
      Deployment upgraded = release.deployment();
      assertThat(upgraded.getMetadata().getGeneration()).isGreaterThan(deploymentGeneration);
      assertThat(release.operatorEnv())
          .containsEntry("ARCHIPELAGO_LOG_LEVEL", "DEBUG")
          .containsEntry("ARCHIPELAGO_TRAINER_IMAGE", "registry.example.com/trainer:2");
      // The roll: the old operator goes, the new one starts with the upgraded configuration.
      flow.stopOperator();
      flow.startOperator(asServiceAccount, release.operatorConfig());
      DDMRun after =
          flow.awaitRun(
              "flow",
              "observed by the upgraded operator",
              r -> r.getStatus().getPhase() == RunPhase.Serving);
      assertThat(after.getMetadata().getGeneration())
          .isEqualTo(serving.getMetadata().getGeneration());
      assertThat(RunFlow.isTrue(after, ConditionType.READY)).isTrue();
      assertThat(RunChildren.of(admin, "flow")).isEqualTo(children);

      flow.stopOperator();
      release.uninstall();
      assertThat(releaseObjects(admin, release)).as("objects left by helm uninstall").isEmpty();
      assertThat(
              admin
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("ddmruns.archipelago.dev")
                  .get())
          .as("CRDs stay (Helm never deletes them)")
          .isNotNull();
      assertThat(
              admin
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("computeislands.archipelago.dev")
                  .get())
          .isNotNull();
      DDMRun kept = flow.run("flow");
      assertThat(kept).as("users' runs stay").isNotNull();
      assertThat(kept.getStatus().getPhase()).isEqualTo(RunPhase.Serving);
      assertThat(RunChildren.of(admin, "flow")).isEqualTo(children);
    }
  }

  private static List<String> releaseObjects(KubernetesClient admin, Release release) {
    String label = Release.INSTANCE_LABEL;
    String name = release.name();
    return java.util.stream.Stream.of(
            admin.serviceAccounts().withLabel(label, name).list().getItems(),
            admin.apps().deployments().withLabel(label, name).list().getItems(),
            admin.services().withLabel(label, name).list().getItems(),
            admin.rbac().roles().withLabel(label, name).list().getItems(),
            admin.rbac().roleBindings().withLabel(label, name).list().getItems(),
            admin.rbac().clusterRoles().withLabel(label, name).list().getItems(),
            admin.rbac().clusterRoleBindings().withLabel(label, name).list().getItems())
        .flatMap(List::stream)
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .toList();
  }
}
