package dev.archipelago.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.JobSetController;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
 * the partition step). Five rounds, alternating which goes first; prints every figure, each run's
 * stages (FanOutTimeline) and the ratio of the medians. Asserts nothing about speed.
 */
@ExtendWith(TestClusterExtension.class)
class JobSetComparisonBench {
  private static final Duration LONG = Duration.ofMinutes(10);
  private static final int PODS = 64;
  private static final int ROUNDS = 5;
  private static final String JOBSET_LABEL = "jobset.sigs.k8s.io/jobset-name";

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
        // Alternate which goes first, so that neither always inherits the other's clean-up.
        if (round % 2 == 1) {
          jobSet.add(timeJobSet(cluster, "js" + round, nodes));
        }
        double[] run = timeDdmRun(cluster, "run" + round, islands);
        ddmRun.add(run[0]);
        experts.add(run[1]);
        if (round % 2 == 0) {
          jobSet.add(timeJobSet(cluster, "js" + round, nodes));
        }
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
    double seconds;
    try (FanOutTimeline timeline =
        new FanOutTimeline(cluster.client(), JOBSET_LABEL, name, PODS, o -> true, p -> false)) {
      cluster
          .client()
          .resource(Serialization.unmarshal(jobSet(name, nodes), GenericKubernetesResource.class))
          .create();
      awaitRunning(cluster, JOBSET_LABEL, name);
      await("the watch sees " + PODS + " Running")
          .atMost(LONG)
          .until(() -> !Double.isNaN(timeline.seconds(FanOutTimeline.RUNNING)));
      seconds = timeline.seconds(FanOutTimeline.RUNNING);
      System.out.printf("BENCH %s from apply: %s%n", name, timeline.describe());
    }
    cluster
        .client()
        .genericKubernetesResources("jobset.x-k8s.io/v1alpha2", "JobSet")
        .withName(name)
        .delete();
    awaitGone(cluster, JOBSET_LABEL, name);
    return seconds;
  }

  /**
   * Seconds from apply, and from the partition pod's success as a watch sees it, to 64 expert pods
   * Running.
   */
  private static double[] timeDdmRun(TestCluster cluster, String name, List<String> islands) {
    double[] seconds;
    try (FanOutTimeline timeline =
        new FanOutTimeline(
            cluster.client(),
            Labels.RUN,
            name,
            PODS,
            JobSetComparisonBench::expert,
            p -> !expert(p) && "Succeeded".equals(p.getStatus().getPhase()))) {
      cluster
          .client()
          .resource(Serialization.unmarshal(BenchCluster.run(name, PODS, islands), DDMRun.class))
          .create();
      Pod partition =
          await("partition running")
              .atMost(LONG)
              .until(() -> running(cluster, Labels.RUN, name), l -> !l.isEmpty())
              .get(0);
      cluster.pods().succeed(partition.getMetadata().getName());
      await(PODS + " experts running, seen by the watch")
          .atMost(LONG)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !Double.isNaN(timeline.seconds(FanOutTimeline.RUNNING)));
      seconds =
          new double[] {
            timeline.secondsFromCreation(FanOutTimeline.RUNNING),
            timeline.seconds(FanOutTimeline.RUNNING)
          };
      System.out.printf("BENCH %s from the partition's success: %s%n", name, timeline.describe());
    }
    cluster.client().resources(DDMRun.class).withName(name).delete();
    awaitGone(cluster, Labels.RUN, name);
    return seconds;
  }

  private static boolean expert(HasMetadata o) {
    return "expert".equals(o.getMetadata().getLabels().get(Labels.ROLE));
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
