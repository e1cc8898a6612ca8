package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.storage.InMemoryObjectStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request ends the partition at its next check, wherever it is (feature scan, fine k-means,
 * the last check before writing), and nothing reaches storage: a retry starts from a clean slate.
 */
class PartitionStopTest {
  @TempDir static Path data;
  @TempDir Path scratch;

  @BeforeAll
  static void generate() throws Exception {
    new ShapesDatasetGenerator(5).generate(600, 16, 200, new LocalShardDirectory(data));
  }

  @Test
  void aStopAtAnyCheckEndsThePartitionWithoutWritingAnything() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    InMemoryObjectStore complete = new InMemoryObjectStore();
    partition(new PartitionStop(() -> checks.incrementAndGet() < 0), complete);
    int total = checks.get();
    assertThat(complete.list("")).isNotEmpty();

    String[] expectedPhase = {"the feature scan", "fine k-means", "clustering"};
    // After clustering, the second pass checks once per source shard (3 here) while it writes.
    int clustering = total - 3;
    int[] stopAt = {1, total / 2, clustering};
    for (int i = 0; i < stopAt.length; i++) {
      AtomicInteger seen = new AtomicInteger();
      int at = stopAt[i];
      InMemoryObjectStore store = new InMemoryObjectStore();
      PartitionStoppedException stopped =
          catchThrowableOfType(
              () -> partition(new PartitionStop(() -> seen.incrementAndGet() >= at), store),
              PartitionStoppedException.class);
      assertThat(stopped).as("stop at check %d of %d", at, total).isNotNull();
      assertThat(stopped.getMessage()).endsWith(expectedPhase[i]);
      assertThat(seen.get()).as("no check after the stop").isEqualTo(at);
      assertThat(store.list("")).as("written after a stop at check %d", at).isEmpty();
    }

    // Stopped while writing the clusters' shards: the partition is not complete (no cluster
    // sizes), and the next attempt starts from an empty clusters folder.
    InMemoryObjectStore interrupted = new InMemoryObjectStore();
    AtomicInteger seen = new AtomicInteger();
    PartitionStoppedException stopped =
        catchThrowableOfType(
            () -> partition(new PartitionStop(() -> seen.incrementAndGet() >= total), interrupted),
            PartitionStoppedException.class);
    assertThat(stopped.getMessage()).endsWith("writing the clusters' shards");
    RunConfig config = config();
    assertThat(interrupted.read(config.layout().clusterSizes())).isEmpty();
    assertThat(interrupted.list(config.layout().clustersPrefix())).isNotEmpty();
    interrupted.put(config.layout().clusterShards(0) + "shard-999999.tar", new byte[] {1});
    partition(PartitionStop.NEVER, interrupted);
    assertThat(interrupted.list(config.layout().clustersPrefix()))
        .extracting(o -> o.key())
        .containsExactlyInAnyOrderElementsOf(
            complete.list(config.layout().clustersPrefix()).stream().map(o -> o.key()).toList());
  }

  private static RunConfig config() {
    return TestRun.small().experts(3, 32).dataset("s3://unused/data/", 16).config("http://unused");
  }

  private void partition(PartitionStop stop, InMemoryObjectStore store) throws Exception {
    RunConfig config = config();
    PartitionJob.withDefaults()
        .stoppingOn(stop)
        .run(config, new LocalShardDirectory(data), new PixelFeatures(8, 3), store, scratch);
  }
}
