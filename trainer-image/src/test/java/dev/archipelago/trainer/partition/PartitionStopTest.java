package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.storage.InMemoryObjectStore;
import dev.archipelago.trainer.storage.StoredObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request ends the partition at its next check, wherever it is (feature scan, fine k-means,
 * the last check before writing, the clusters' shards), and nothing of the partition reaches
 * storage but its feature chunks: a retry extracts only the chunks that are missing and ends with
 * exactly the partition of an uninterrupted run.
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
      assertThat(store.list(""))
          .as("written after a stop at check %d, besides feature chunks", at)
          .allMatch(o -> o.key().startsWith(config().layout().featureChunks()));
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

  @Test
  void aPartitionStoppedInTheFeatureScanResumesFromItsLastChunk() throws Exception {
    // 600 samples in 3 shards of 200, one shard per chunk, batches of 64: 4 batches a chunk.
    InMemoryObjectStore uninterrupted = new InMemoryObjectStore();
    CountingFeatures all = new CountingFeatures();
    chunked(PartitionStop.NEVER, uninterrupted, all);
    assertThat(all.rows).isEqualTo(600);
    assertThat(uninterrupted.list(config().layout().featureChunks()))
        .as("chunks are deleted once the partition is complete")
        .isEmpty();

    InMemoryObjectStore store = new InMemoryObjectStore();
    AtomicInteger checks = new AtomicInteger();
    // Stopped at the 6th batch: the first chunk (4 batches) is stored, the second is not.
    catchThrowableOfType(
        () ->
            chunked(
                new PartitionStop(() -> checks.incrementAndGet() >= 6),
                store,
                new CountingFeatures()),
        PartitionStoppedException.class);
    assertThat(store.list(config().layout().featureChunks())).hasSize(2);
    assertThat(store.read(config().layout().clusterSizes())).isEmpty();

    CountingFeatures resumed = new CountingFeatures();
    chunked(PartitionStop.NEVER, store, resumed);
    assertThat(resumed.rows).as("rows extracted by the resumed attempt").isEqualTo(400);
    StorageLayout layout = config().layout();
    assertThat(store.read(layout.clusterSizes()).orElseThrow())
        .isEqualTo(uninterrupted.read(layout.clusterSizes()).orElseThrow());
    assertThat(store.read(layout.centroids()).orElseThrow())
        .isEqualTo(uninterrupted.read(layout.centroids()).orElseThrow());
    for (int k = 0; k < 3; k++) {
      List<StoredObject> shards = store.list(layout.clusterShards(k));
      assertThat(shards).isEqualTo(uninterrupted.list(layout.clusterShards(k)));
      for (StoredObject shard : shards) {
        assertThat(store.read(shard.key()).orElseThrow())
            .isEqualTo(uninterrupted.read(shard.key()).orElseThrow());
      }
    }
  }

  /** Pixel features that count the rows they extract. */
  private static final class CountingFeatures implements ImageFeatures {
    private final PixelFeatures pixels = new PixelFeatures(8, 3);
    int rows;

    @Override
    public int dimension() {
      return pixels.dimension();
    }

    @Override
    public float[][] extract(List<Sample> batch) {
      rows += batch.size();
      return pixels.extract(batch);
    }

    @Override
    public String describe() {
      return pixels.describe();
    }

    @Override
    public void close() {}
  }

  private void chunked(PartitionStop stop, InMemoryObjectStore store, ImageFeatures features)
      throws Exception {
    PartitionJob.withDefaults()
        .withFeatureChunkShards(1)
        .stoppingOn(stop)
        .run(config(), new LocalShardDirectory(data), features, store, scratch);
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
