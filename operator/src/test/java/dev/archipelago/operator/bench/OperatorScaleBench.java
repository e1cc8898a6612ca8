package dev.archipelago.operator.bench;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scale figures of the operator on the kwok cluster; prints numbers, asserts nothing about speed.
 * Run: {@code mvn -B -ntp verify -pl operator -DskipUTs -Dit.test=OperatorScaleBench}.
 *
 * <ol>
 *   <li>64 nodes in 8 pools: time from creating a 64-expert DDMRun to 64 expert pods Running (the
 *       partition pod is completed as soon as it runs, as a fast trainer would);
 *   <li>write requests the operator sends per reconcile when nothing changed (goal 0);
 *   <li>operator heap after 100 runs of 8 experts, against the heap before it started.
 * </ol>
 */
@ExtendWith(TestClusterExtension.class)
class OperatorScaleBench {
  private static final Duration LONG = Duration.ofMinutes(10);

  @Test
  void printsScaleFigures(TestCluster cluster) throws Exception {
    List<String> islands = BenchCluster.create(cluster, "bench").islands();

    WriteCounter counter = new WriteCounter();
    KubernetesClient operatorClient =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(cluster.backend().adminConfig()).build())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-writes", counter))
            .build();
    System.gc();
    long heapBefore = usedHeap();
    OperatorConfig config =
        OperatorConfig.defaults()
            .withHttpPort(0)
            .withProgressPollInterval(Duration.ofSeconds(15))
            .withWatchNamespaces(java.util.Set.of(cluster.namespace()));
    try (ArchipelagoOperator operator = ArchipelagoOperator.start(operatorClient, config)) {
      // 1. 64 experts to Running.
      long start = System.nanoTime();
      cluster
          .client()
          .resource(Serialization.unmarshal(BenchCluster.run("big", 64, islands), DDMRun.class))
          .create();
      Pod partition = awaitPods(cluster, "big", "partition", 1).get(0);
      cluster.pods().succeed(partition.getMetadata().getName());
      awaitPods(cluster, "big", "expert", 64);
      double toRunning = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "BENCH 64-expert run: apply -> 64 expert pods Running: %.1f s%n", toRunning);

      // 2. Writes per reconcile with nothing changed: touching a pod annotation triggers a full
      // reconcile.
      Thread.sleep(5000);
      counter.reset();
      double reconcilesBefore = reconciliations(operator);
      List<Pod> pods = awaitPods(cluster, "big", "expert", 64);
      int resyncs = 20;
      for (int i = 0; i < resyncs; i++) {
        String name = pods.get(i).getMetadata().getName();
        int n = i;
        cluster
            .client()
            .pods()
            .withName(name)
            .edit(
                p -> {
                  p.getMetadata().getAnnotations().put("bench/touch", Integer.toString(n));
                  return p;
                });
        Thread.sleep(300);
      }
      Thread.sleep(3000);
      System.out.printf(
          "BENCH steady state: %d operator write requests over %d no-change reconciles (%.2f per reconcile) %s%n",
          counter.writes(), resyncs, counter.writes() / (double) resyncs, counter.byKind());

      // 3. Heap after 100 runs x 8 experts.
      for (int r = 0; r < 100; r++) {
        cluster
            .client()
            .resource(Serialization.unmarshal(BenchCluster.run("r" + r, 8, islands), DDMRun.class))
            .create();
      }
      Awaitility.await("100 partitions running")
          .atMost(LONG)
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  cluster
                          .client()
                          .pods()
                          .withLabel(Labels.ROLE, "partition")
                          .list()
                          .getItems()
                          .stream()
                          .filter(p -> "Running".equals(p.getStatus().getPhase()))
                          .count()
                      >= 100);
      for (Pod p : cluster.client().pods().withLabel(Labels.ROLE, "partition").list().getItems()) {
        if ("Running".equals(p.getStatus().getPhase())) {
          cluster.pods().succeed(p.getMetadata().getName());
        }
      }
      Awaitility.await("800 more expert pods")
          .atMost(LONG)
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  cluster.client().pods().withLabel(Labels.ROLE, "expert").list().getItems().size()
                      >= 64 + 800);
      Thread.sleep(10_000);
      System.gc();
      long heapAfter = usedHeap();
      System.out.printf(
          "BENCH heap: before operator %.1f MiB, with 101 runs (864 experts) %.1f MiB, delta %.1f MiB%n",
          heapBefore / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBefore) / 1048576.0);
    }
  }

  /** Reconciliations started so far (all controllers), from JOSDK's own Micrometer metrics. */
  private static double reconciliations(ArchipelagoOperator operator) {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.started"))
        .filter(
            m ->
                "ddmrun".equals(m.getId().getTag("controller"))
                    || m.getId().getTag("controller") == null)
        .mapToDouble(m -> m.measure().iterator().next().getValue())
        .sum();
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static List<Pod> awaitPods(TestCluster cluster, String run, String role, int count) {
    return Awaitility.await(count + " " + role + " pods of " + run + " Running")
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                cluster
                    .client()
                    .pods()
                    .withLabel(Labels.RUN, run)
                    .withLabel(Labels.ROLE, role)
                    .list()
                    .getItems()
                    .stream()
                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                    .toList(),
            l -> l.size() >= count);
  }
}
