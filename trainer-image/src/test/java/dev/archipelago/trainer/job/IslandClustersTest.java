package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clusters in islands' buckets ({@code ComputeIsland.spec.storage}): the partition writes expert
 * 1's shards to the island's bucket and nothing of it under the run's prefix, records where, and
 * expert 1 and the router train from there, through the tasks a pod runs against a real S3 server.
 */
class IslandClustersTest {
  private static final String ISLAND_BUCKET = "island-b-data";
  @TempDir Path scratch;

  @Test
  void anExpertOnAnIslandWithItsOwnBucketReadsItsClusterFromThere() throws Exception {
    try (EmbeddedS3 s3 = new EmbeddedS3();
        S3Buckets buckets = new S3Buckets(s3.settings())) {
      s3.createBucket(TestRun.BUCKET);
      s3.createBucket(ISLAND_BUCKET);
      RunConfig config =
          TestRun.small()
              .uid("islands")
              .dataset("synthetic://shapes?samples=256&shardSize=64&seed=3", 8)
              .config(s3);
      String prefix = ClusterLocations.islandPrefix("near-b", "ns", "test", "islands", 1);
      ClusterLocations locations =
          new ClusterLocations(
              List.of(new ClusterLocations.Location(1, ISLAND_BUCKET, null, prefix)));

      assertThat(run(config, Task.of(Role.PARTITION, 1), buckets, locations))
          .isEqualTo(ExitCodes.OK);

      ObjectStore runStore = buckets.forBucket(TestRun.BUCKET);
      ObjectStore island = buckets.forBucket(ISLAND_BUCKET);
      assertThat(island.list(prefix)).as("expert 1's shards in the island's bucket").isNotEmpty();
      assertThat(runStore.list(config.layout().clusterShards(1))).isEmpty();
      assertThat(runStore.list(config.layout().clusterShards(0))).isNotEmpty();
      assertThat(
              ContractJson.read(
                  runStore.read(config.layout().clusterLocations()).orElseThrow(),
                  ClusterLocations.class))
          .isEqualTo(locations);

      // The trainers get no locations from the operator: they read what the partition recorded.
      ClusterLocations none = new ClusterLocations(List.of());
      assertThat(run(config, Task.expert(1, 1), buckets, none)).isEqualTo(ExitCodes.OK);
      assertThat(run(config, Task.of(Role.ROUTER, 1), buckets, none)).isEqualTo(ExitCodes.OK);
      Progress expert =
          ContractJson.read(
              runStore.read(config.layout().expertProgress(1)).orElseThrow(), Progress.class);
      assertThat(expert.phase()).isEqualTo(ProgressPhase.Completed);
      assertThat(expert.skippedSamples()).isZero();
    }
  }

  private int run(RunConfig config, Task task, S3Buckets buckets, ClusterLocations locations) {
    return TaskRunner.run(
        new JobContext(
            config,
            task,
            buckets,
            scratch,
            Clock.systemUTC(),
            StopSignal.NEVER,
            Duration.ZERO,
            locations));
  }
}
