package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator process itself: island status from nodes, health endpoints and metrics. */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class OperatorProcessIT {
  @Test
  void anIslandsStatusFollowsItsNodes(TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-n", 3, null);
      scenario.startOperator();
      String island = scenario.islands().get(0);

      ComputeIsland ready = awaitIsland(cluster, island, i -> i.getStatus().getReadyNodes() == 3);
      assertThat(ready.getStatus().getNodes()).isEqualTo(3);
      assertThat(ready.getStatus().getAllocatableGpus()).isEqualTo(24L);
      assertThat(ready.getStatus().getConditions())
          .anyMatch(c -> ConditionType.READY.equals(c.getType()) && "True".equals(c.getStatus()));

      String node = scenario.nodesByIsland.get(island).get(0);
      cluster
          .client()
          .nodes()
          .withName(node)
          // A merge patch, as kubectl cordon: no resourceVersion to conflict with node updates.
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":true}}");
      ComputeIsland cordoned =
          awaitIsland(cluster, island, i -> i.getStatus().getReadyNodes() == 2);
      assertThat(cordoned.getStatus().getAllocatableGpus()).isEqualTo(16L);

      cluster.client().nodes().withName(scenario.nodesByIsland.get(island).get(1)).delete();
      ComputeIsland shrunk = awaitIsland(cluster, island, i -> i.getStatus().getNodes() == 2);
      assertThat(shrunk.getStatus().getReadyNodes()).isEqualTo(1);
    }
  }

  @Test
  void healthEndpointsAnswerAndMetricsCountExpertsByPhase(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-m", 1, null);
      scenario.startOperator();
      scenario.createRun("metered", 2, "");
      scenario.awaitRun(
          "metered", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      scenario.completePartition(scenario.run("metered"), 2);
      scenario.awaitRunningPod("metered", Role.EXPERT, 0, 1);
      scenario.awaitRunningPod("metered", Role.EXPERT, 1, 1);
      scenario.awaitRun(
          "metered",
          "both experts Running",
          r ->
              r.getStatus().getExperts().stream()
                  .allMatch(e -> e.getPhase() == dev.archipelago.api.status.WorkerPhase.Running));

      int port = scenario.operator().httpPort();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      Awaitility.await("readyz")
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(port, "/readyz").statusCode() == 200);
      String metrics =
          Awaitility.await("expert metrics")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> get(port, "/metrics").body(),
                  b ->
                      b.contains(
                          "archipelago_experts{namespace=\""
                              + cluster.namespace()
                              + "\",phase=\"Running\",run=\"metered\"} 2.0"));
      assertThat(metrics).contains("operator_sdk_reconciliations");
    }
  }

  @Test
  void aRunThatOptedInToDeletionTakesItsStoredObjectsWithIt(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-s", 1, null);
      scenario.startOperator();
      scenario.createRun("kept", 2, "");
      scenario.createRun("wiped", 2, "", ", deletionPolicy: Delete");
      for (String name : java.util.List.of("kept", "wiped")) {
        scenario.awaitRun(
            name, "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
        new TrainerFixture(s3, scenario.run(name)).writeClusterSizes(2, 10);
      }
      String keptPrefix = scenario.run("kept").getStatus().getStoragePrefix();
      String wipedPrefix = scenario.run("wiped").getStatus().getStoragePrefix();

      cluster.client().resources(dev.archipelago.api.DDMRun.class).withName("kept").delete();
      cluster.client().resources(dev.archipelago.api.DDMRun.class).withName("wiped").delete();

      Awaitility.await("runs gone")
          .atMost(RunScenario.TIMEOUT)
          .until(
              () ->
                  cluster
                      .client()
                      .resources(dev.archipelago.api.DDMRun.class)
                      .list()
                      .getItems()
                      .isEmpty());
      assertThat(s3.countObjects("runs", wipedPrefix)).isZero();
      assertThat(s3.countObjects("runs", keptPrefix)).isPositive();
    }
  }

  /**
   * Stopping (a rollout, a lost Lease) must not abandon a reconcile mid-write: the stop waits for
   * it, so no write of the stopped operator lands after its successor has started.
   */
  @Test
  void stoppingWaitsForAReconcileThatIsWritingStatus(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    StatusWriteGate gate = new StatusWriteGate();
    try (RunScenario scenario = new RunScenario(cluster, s3);
        KubernetesClient operatorClient =
            new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(cluster.backend().adminConfig()).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("gate", gate))
                .build()) {
      scenario.island("isl-g", 1, null);
      scenario.startOperator(operatorClient);
      scenario.createRun("gated", 2, "");
      try {
        assertThat(gate.awaitHolding(RunScenario.TIMEOUT)).as("a status write held").isTrue();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(scenario::stopOperator);
        assertThatThrownBy(() -> stopped.get(1, TimeUnit.SECONDS))
            .as("stop returned while a reconcile was writing")
            .isInstanceOf(TimeoutException.class);
        gate.open();
        stopped.get(30, TimeUnit.SECONDS);
      } finally {
        gate.open();
      }
      assertThat(gate.interrupted()).as("the held write was interrupted").isFalse();
      assertThat(scenario.run("gated").getStatus()).as("the held status write landed").isNotNull();
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItStops(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-l", 1, null);
      OperatorConfig base =
          OperatorConfig.defaults()
              .withHttpPort(0)
              .withProgressPollInterval(Duration.ofSeconds(1))
              .withWatchNamespaces(java.util.Set.of(cluster.namespace()));
      ArchipelagoOperator first =
          ArchipelagoOperator.start(
              cluster.client(), base.withLeaderElection(cluster.namespace(), "replica-a"));
      ArchipelagoOperator second =
          ArchipelagoOperator.start(
              cluster.client(), base.withLeaderElection(cluster.namespace(), "replica-b"));
      try {
        String holder = awaitLeaseHolder(cluster, h -> h != null);
        ArchipelagoOperator leader = holder.equals("replica-a") ? first : second;
        ArchipelagoOperator standby = leader == first ? second : first;

        scenario.createRun("led", 2, "");
        scenario.awaitRun(
            "led", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
        assertThat(reconciliations(leader)).isPositive();
        assertThat(reconciliations(standby)).isZero();

        leader.close();
        String next = awaitLeaseHolder(cluster, h -> h != null && !h.equals(holder));
        scenario.createRun("after", 2, "");
        scenario.awaitRun(
            "after", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
        assertThat(next).isNotEqualTo(holder);
        assertThat(reconciliations(standby)).isPositive();

        // Runs carry the operator's finalizer: delete them while an operator still runs.
        cluster.client().resources(dev.archipelago.api.DDMRun.class).delete();
        Awaitility.await("runs deleted")
            .atMost(RunScenario.TIMEOUT)
            .until(
                () ->
                    cluster
                        .client()
                        .resources(dev.archipelago.api.DDMRun.class)
                        .list()
                        .getItems()
                        .isEmpty());
      } finally {
        first.close();
        second.close();
      }
    }
  }

  private static String awaitLeaseHolder(
      TestCluster cluster, java.util.function.Predicate<String> p) {
    return Awaitility.await("lease holder")
        .atMost(RunScenario.TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var lease = cluster.client().leases().withName("archipelago-operator").get();
              return lease == null ? null : lease.getSpec().getHolderIdentity();
            },
            p);
  }

  private static double reconciliations(ArchipelagoOperator operator) {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.started"))
        .mapToDouble(m -> m.measure().iterator().next().getValue())
        .sum();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static ComputeIsland awaitIsland(
      TestCluster cluster, String name, java.util.function.Predicate<ComputeIsland> p) {
    return Awaitility.await("island " + name)
        .atMost(RunScenario.TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> cluster.client().resources(ComputeIsland.class).withName(name).get(),
            i ->
                i != null
                    && i.getStatus() != null
                    && i.getStatus().getReadyNodes() != null
                    && p.test(i));
  }
}
