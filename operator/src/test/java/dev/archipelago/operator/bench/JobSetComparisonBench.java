package dev.archipelago.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.JobSetController;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One Job per node pool against the anchor users compare it to: on the same 64-node kwok cluster (8
 * pools of 8 GPU nodes), the time from apply to 64 pods Running for (a) a JobSet of 64 single-pod
 * replicated Jobs, one pinned to each node, run by the real JobSet controller, and (b) a 64-expert
 * DDMRun run by the operator (its partition pod completed as soon as it runs, so (b) also pays for
 * the partition step). Two rounds, alternating; prints every figure and the ratio of the medians.
 * Asserts nothing about speed.
 */
@ExtendWith(TestClusterExtension.class)
class JobSetComparisonBench {
  private static final Duration LONG = Duration.ofMinutes(10);
  private static final int PODS = 64;
  private static final int ROUNDS = 3;

  @Test
  void printsJobSetAndDdmRunTimeTo64PodsRunning(TestCluster cluster) throws Exception {
    BenchCluster.Pools pools = BenchCluster.create(cluster, "cmp");
    List<String> islands = pools.islands();
    List<String> nodes = pools.nodes();
    List<Double> jobSet = new ArrayList<>();
    List<Double> ddmRun = new ArrayList<>();
    List<Double> experts = new ArrayList<>();
    OperatorConfig config =
        OperatorConfig.defaults()
            .withHttpPort(0)
            .withProgressPollInterval(Duration.ofSeconds(15))
            .withWatchNamespaces(Set.of(cluster.namespace()));
    try (JobSetController jobsets = JobSetController.start(cluster);
        ArchipelagoOperator operator = ArchipelagoOperator.start(cluster.client(), config)) {
      for (int round = 0; round < ROUNDS; round++) {
        jobSet.add(timeJobSet(cluster, "js" + round, nodes));
        double[] run = timeDdmRun(cluster, "run" + round, islands);
        ddmRun.add(run[0]);
        experts.add(run[1]);
      }
    }
    double a = median(jobSet);
    double b = median(ddmRun);
    double c = median(experts);
    System.out.printf(
        "BENCH apply -> %d pods Running, 64 nodes, %d rounds: JobSet %s s (median %.1f);"
            + " DDMRun %s s (median %.1f, ratio to JobSet %.2f); DDMRun from its partition's"
            + " success %s s (median %.1f, ratio to JobSet %.2f)%n",
        PODS, ROUNDS, round(jobSet), a, round(ddmRun), b, b / a, round(experts), c, c / a);
  }

  private static double timeJobSet(TestCluster cluster, String name, List<String> nodes) {
    long start = System.nanoTime();
    cluster
        .client()
        .resource(Serialization.unmarshal(jobSet(name, nodes), GenericKubernetesResource.class))
        .create();
    awaitRunning(cluster, "jobset.sigs.k8s.io/jobset-name", name);
    double seconds = (System.nanoTime() - start) / 1e9;
    cluster
        .client()
        .genericKubernetesResources("jobset.x-k8s.io/v1alpha2", "JobSet")
        .withName(name)
        .delete();
    awaitGone(cluster, "jobset.sigs.k8s.io/jobset-name", name);
    return seconds;
  }

  /** Seconds from apply, and from the partition's success, to 64 expert pods Running. */
  private static double[] timeDdmRun(TestCluster cluster, String name, List<String> islands) {
    long start = System.nanoTime();
    cluster
        .client()
        .resource(Serialization.unmarshal(BenchCluster.run(name, PODS, islands), DDMRun.class))
        .create();
    Pod partition =
        await("partition running")
            .atMost(LONG)
            .until(() -> running(cluster, "archipelago.dev/run", name), l -> !l.isEmpty())
            .get(0);
    cluster.pods().succeed(partition.getMetadata().getName());
    long partitionDone = System.nanoTime();
    await(PODS + " experts running")
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                running(cluster, "archipelago.dev/run", name).stream()
                    .filter(
                        p ->
                            "expert"
                                .equals(p.getMetadata().getLabels().get("archipelago.dev/role")))
                    .count(),
            n -> n == PODS);
    long end = System.nanoTime();
    cluster.client().resources(DDMRun.class).withName(name).delete();
    awaitGone(cluster, "archipelago.dev/run", name);
    return new double[] {(end - start) / 1e9, (end - partitionDone) / 1e9};
  }

  private static List<String> round(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.1f", x)).toList();
  }

  private static void awaitRunning(TestCluster cluster, String label, String value) {
    await(PODS + " pods of " + value + " running")
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> running(cluster, label, value).size(), n -> n == PODS);
  }

  private static void awaitGone(TestCluster cluster, String label, String value) {
    await(value + "'s pods gone")
        .atMost(LONG)
        .until(() -> cluster.client().pods().withLabel(label, value).list().getItems().isEmpty());
  }

  private static List<Pod> running(TestCluster cluster, String label, String value) {
    return cluster.client().pods().withLabel(label, value).list().getItems().stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.size() % 2 == 1
        ? s.get(s.size() / 2)
        : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  /**
   * 64 replicated Jobs of one pod each, every one pinned to its own node, as DDMRun experts are.
   */
  private static String jobSet(String name, List<String> nodes) {
    StringBuilder y =
        new StringBuilder(
            "apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: "
                + name
                + "}\nspec:\n"
                // What JobSet's defaulting webhook would set; it is not registered here.
                + "  successPolicy: {operator: All}\n"
                + "  startupPolicy: {startupPolicyOrder: AnyOrder}\n"
                + "  network: {enableDNSHostnames: false}\n"
                + "  replicatedJobs:\n");
    for (int i = 0; i < nodes.size(); i++) {
      y.append("  - name: r")
          .append(i)
          .append("\n    replicas: 1\n    template:\n      spec:\n")
          .append(
              "        completionMode: Indexed\n        completions: 1\n        parallelism: 1\n")
          .append("        backoffLimit: 0\n        template:\n          spec:\n")
          .append("            restartPolicy: Never\n")
          .append("            nodeSelector: {kubernetes.io/hostname: ")
          .append(nodes.get(i))
          .append("}\n")
          .append(
              "            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n")
          .append(
              "            containers:\n            - name: trainer\n              image: trainer\n")
          .append("              resources:\n")
          .append("                limits: {nvidia.com/gpu: 1, cpu: '1', memory: 1Gi}\n")
          .append("                requests: {nvidia.com/gpu: 1, cpu: '1', memory: 1Gi}\n");
    }
    return y.toString();
  }
}
