package dev.archipelago.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.operator.ArchipelagoOperator;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.ArchipelagoCrds;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How fresh runs' progress stays when one run's object store never answers. 200 runs of 8 experts
 * (suspended: only the storage poll works), each run's progress rewritten; the figure is the time
 * until the last run's status shows the new report ("age of the oldest progress"), first with every
 * store answering (the baseline, same run), then with one more run whose endpoint accepts
 * connections and never replies. Prints both and their ratio; asserts nothing about speed.
 */
@ExtendWith(TestClusterExtension.class)
class ProgressPollBench {
  private static final int RUNS = 200;
  private static final int EXPERTS = 8;
  private static final Duration POLL = Duration.ofSeconds(10);

  @Test
  void printsProgressFreshnessWithABlackHoledStore(TestCluster cluster) throws Exception {
    ArchipelagoCrds.ensureInstalled(cluster.client());
    String island = "poll-" + cluster.namespace().substring(cluster.namespace().length() - 4);
    cluster
        .client()
        .resource(
            Serialization.unmarshal(
                "apiVersion: archipelago.dev/v1alpha1\nkind: ComputeIsland\nmetadata: {name: "
                    + island
                    + "}\nspec:\n  nodeSelector: {pool: "
                    + island
                    + "}\n",
                ComputeIsland.class))
        .create();
    try (EmbeddedS3 s3 = new EmbeddedS3();
        BlackHole hole = new BlackHole()) {
      s3.createBucket("runs");
      cluster.client().secrets().resource(EmbeddedS3.credentialsSecret("s3")).create();
      List<String> names = new ArrayList<>();
      for (int r = 0; r < RUNS; r++) {
        names.add("p" + r);
        cluster
            .client()
            .resource(Serialization.unmarshal(run("p" + r, island, s3.endpoint()), DDMRun.class))
            .create();
      }
      ArchipelagoOperator operator =
          ArchipelagoOperator.start(
              cluster.client(),
              OperatorConfig.defaults()
                  .withProgressPollInterval(POLL)
                  .withHttpPort(0)
                  .withWatchNamespaces(Set.of(cluster.namespace())));
      try {
        await("every run has status")
            .atMost(Duration.ofMinutes(5))
            .until(
                () ->
                    cluster.client().resources(DDMRun.class).list().getItems().stream()
                        .allMatch(r -> r.getStatus() != null));
        Duration baseline = freshness(cluster, s3, names, 111);
        cluster
            .client()
            .resource(
                Serialization.unmarshal(run("blackholed", island, hole.endpoint()), DDMRun.class))
            .create();
        // Let the black-holed run's polls start holding threads.
        Thread.sleep(POLL.multipliedBy(2).toMillis());
        Duration withHole = freshness(cluster, s3, names, 222);
        System.out.printf(
            "progress freshness, %d runs x %d experts, poll %d s: all stores answer %.1f s;"
                + " with one black-holed store %.1f s; ratio %.2f (black hole accepted %d"
                + " connections)%n",
            RUNS,
            EXPERTS,
            POLL.toSeconds(),
            baseline.toMillis() / 1000.0,
            withHole.toMillis() / 1000.0,
            withHole.toMillis() / (double) baseline.toMillis(),
            hole.accepted());
      } finally {
        operator.close();
        cluster.client().resources(DDMRun.class).delete();
      }
    } finally {
      cluster.client().resources(ComputeIsland.class).withName(island).delete();
    }
  }

  /** Writes a report with {@code step} for expert 0 of every run; time until all show it. */
  private static Duration freshness(
      TestCluster cluster, EmbeddedS3 s3, List<String> names, long step) {
    long start = System.nanoTime();
    for (String name : names) {
      DDMRun run = cluster.client().resources(DDMRun.class).withName(name).get();
      new TrainerFixture(s3, run).writeExpertProgress(0, 1, step, 1000, null);
    }
    await("every run shows step " + step)
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                cluster.client().resources(DDMRun.class).list().getItems().stream()
                    .filter(r -> names.contains(r.getMetadata().getName()))
                    .allMatch(r -> step0(r) == step));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static long step0(DDMRun run) {
    if (run.getStatus() == null || run.getStatus().getExperts().isEmpty()) {
      return -1;
    }
    ExpertStatus e = run.getStatus().getExperts().get(0);
    return e.getStep() == null ? -1 : e.getStep();
  }

  private static String run(String name, String island, String endpoint) {
    return "apiVersion: archipelago.dev/v1alpha1\nkind: DDMRun\nmetadata: {name: "
        + name
        + "}\n"
        + "spec:\n  dataset: {uri: 'synthetic://shapes', imageSize: 32, channels: 3}\n"
        + "  partitioning: {experts: "
        + EXPERTS
        + "}\n  model: {preset: tiny}\n"
        + "  islands: ["
        + island
        + "]\n"
        + "  suspend: true\n"
        + "  storage: {endpoint: '"
        + endpoint
        + "', bucket: runs, credentialsSecretRef: {name: s3}}\n";
  }

  /** An endpoint that accepts TCP connections and never sends a byte. */
  private static final class BlackHole implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 1000, null);
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    BlackHole() throws Exception {
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    synchronized (held) {
                      held.add(s);
                    }
                  } catch (Exception e) {
                    return;
                  }
                }
              },
              "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    int accepted() {
      synchronized (held) {
        return held.size();
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
