package dev.archipelago.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's RBAC is not over-broad by accident: take one rule away and the operator, running as
 * the chart's ServiceAccount, fails with a forbidden error naming the resource.
 */
@ExtendWith(TestClusterExtension.class)
class ChartRbacIT {

  @Test
  void withoutTheJobsRuleTheOperatorFailsNamingJobsAndStartsOnceItIsBack(TestCluster cluster)
      throws Exception {
    KubernetesClient admin = cluster.client();
    Release release = Release.install(cluster, "rbac", "progressPollSeconds: 1\n");
    OperatorConfig config = release.operatorConfig().withHttpPort(0);
    String roleName = release.deployment().getMetadata().getName();
    ClusterRole original = admin.rbac().clusterRoles().withName(roleName).get();
    List<PolicyRule> withoutJobs = new ArrayList<>(original.getRules());
    assertThat(withoutJobs.removeIf(r -> r.getResources().contains("jobs"))).isTrue();
    admin
        .rbac()
        .clusterRoles()
        .resource(new ClusterRoleBuilder(original).withRules(withoutJobs).build())
        .update();

    try (KubernetesClient asServiceAccount = release.operatorClient()) {
      Throwable failure =
          catchThrowable(() -> ArchipelagoOperator.start(asServiceAccount, config).close());
      assertThat(failure).as("the operator must not start without the jobs rule").isNotNull();
      assertThat(messages(failure))
          .contains("jobs.batch is forbidden")
          .contains("cannot list resource \"jobs\" in API group \"batch\"")
          .contains(
              "system:serviceaccount:" + cluster.namespace() + ":" + release.serviceAccount());
    } finally {
      // Restore the rule as the chart wrote it.
      ClusterRole current = admin.rbac().clusterRoles().withName(roleName).get();
      admin
          .rbac()
          .clusterRoles()
          .resource(new ClusterRoleBuilder(current).withRules(original.getRules()).build())
          .update();
    }

    try (KubernetesClient asServiceAccount = release.operatorClient();
        ArchipelagoOperator operator = ArchipelagoOperator.start(asServiceAccount, config)) {
      assertThat(operator.httpPort()).isPositive();
    }
    release.uninstall();
  }

  /**
   * With more than one replica the chart turns leader election on. The operator cannot be stopped
   * in-process with leader election on (JOSDK then calls System.exit), so this drives the very lock
   * JOSDK builds (fabric8's LeaseLock on the chart's Lease) as the ServiceAccount, and asks the API
   * server the startup question JOSDK asks (SelfSubjectAccessReview).
   */
  @Test
  void theLeaderElectionRoleLetsTheServiceAccountTakeAndRenewOnlyItsLease(TestCluster cluster)
      throws Exception {
    Release release = Release.install(cluster, "lease", "replicas: 2\n");
    OperatorConfig config = release.operatorConfig();
    assertThat(config.leaderElection()).as("replicas > 1 turns leader election on").isTrue();
    String namespace = config.leaseNamespace();
    try (KubernetesClient asServiceAccount = release.operatorClient()) {
      for (String verb : List.of("get", "create", "update", "patch")) {
        assertThat(allowed(asServiceAccount, namespace, verb, config.leaseName()))
            .as("%s lease %s", verb, config.leaseName())
            .isTrue();
      }
      assertThat(allowed(asServiceAccount, namespace, "update", "someone-elses-lease")).isFalse();
      assertThat(allowed(asServiceAccount, namespace, "delete", config.leaseName())).isFalse();

      CountDownLatch leading = new CountDownLatch(1);
      LeaderElector elector =
          asServiceAccount
              .leaderElector()
              .withConfig(
                  new LeaderElectionConfigBuilder()
                      .withName("chart-rbac-it")
                      .withLock(new LeaseLock(namespace, config.leaseName(), "it-operator"))
                      .withLeaseDuration(Duration.ofSeconds(4))
                      .withRenewDeadline(Duration.ofSeconds(3))
                      .withRetryPeriod(Duration.ofMillis(300))
                      .withLeaderCallbacks(
                          new LeaderCallbacks(leading::countDown, () -> {}, leader -> {}))
                      .build())
              .build();
      CompletableFuture<?> election = elector.start();
      try {
        assertThat(leading.await(30, TimeUnit.SECONDS)).as("became leader").isTrue();
        ZonedDateTime firstRenew = lease(cluster, namespace, config).getSpec().getRenewTime();
        await("the Lease renewed")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    lease(cluster, namespace, config).getSpec().getRenewTime().isAfter(firstRenew));
        assertThat(election).isNotDone();
        assertThat(lease(cluster, namespace, config).getSpec().getHolderIdentity())
            .isEqualTo("it-operator");
      } finally {
        election.cancel(true);
      }
    }
    release.uninstall();
  }

  private static Lease lease(TestCluster cluster, String namespace, OperatorConfig config) {
    return cluster.client().leases().inNamespace(namespace).withName(config.leaseName()).get();
  }

  private static boolean allowed(
      KubernetesClient client, String namespace, String verb, String name) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withGroup("coordination.k8s.io")
            .withResource("leases")
            .withNamespace(namespace)
            .withVerb(verb)
            .withName("create".equals(verb) ? null : name)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }
}
