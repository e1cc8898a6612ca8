package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LoaderOptions;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.storage.ClusterShardSource;
import dev.archipelago.trainer.storage.InMemoryObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import dev.archipelago.trainer.storage.StoredObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each expert reads its cluster and nothing else. Figure: bytes an expert's stream reads from the
 * object store per epoch ÷ its cluster's bytes (the first loader streamed the whole data set for
 * every expert, about K). Conditions: shapes data, 1200 samples of 16 px in shards of 100, K = 4,
 * cluster shards cut at 8 KB, 4 shards pooled per group, 4 epochs (the group read ahead at the end
 * is counted too).
 */
class ClusterReadTest {
  private static final int SAMPLES = 1200;
  private static final int EXPERTS = 4;
  private static final int EPOCHS = 4;
  @TempDir Path data;
  @TempDir Path scratch;

  @Test
  void anExpertReadsAboutItsClustersBytesPerEpochAndTheRouterSeesEveryCluster() throws Exception {
    new ShapesDatasetGenerator(4).generate(SAMPLES, 16, 100, new LocalShardDirectory(data));
    long datasetBytes = 0;
    try (var files = Files.list(data)) {
      for (Path f : files.toList()) {
        datasetBytes += Files.size(f);
      }
    }
    InMemoryObjectStore store = new InMemoryObjectStore();
    RunConfig config =
        TestRun.small()
            .experts(EXPERTS, 32)
            .dataset("s3://unused/data/", 16)
            .config("http://unused.invalid");
    StorageLayout layout = config.layout();
    PartitionJob.Outcome outcome =
        PartitionJob.withDefaults()
            .withClusterShardBytes(8 << 10)
            .run(config, new LocalShardDirectory(data), new PixelFeatures(8, 3), store, scratch);

    for (int k = 0; k < EXPERTS; k++) {
      long clusterBytes =
          store.list(layout.clusterShards(k)).stream().mapToLong(StoredObject::size).sum();
      long size = outcome.sizes().sizes().get(k);
      ObjectStoreShards shards = new ObjectStoreShards(store, layout.clusterShards(k));
      try (ShuffledSampleStream stream =
          new ShuffledSampleStream(
              shards,
              new SampleDecoder(ImageFormat.rgb(16), "cls"),
              new LoaderOptions(4, 2),
              k,
              true,
              DataCursor.START,
              raw -> true)) {
        stream.nextBatch((int) (size * EPOCHS));
        assertThat(stream.skipped().total()).isZero();
      }
      double ratio = (double) shards.bytesRead() / EPOCHS / clusterBytes;
      System.out.printf(
          "expert %d: %d samples, %d cluster bytes in %d shards; read per epoch / cluster bytes"
              + " = %.3f (whole data set / cluster bytes = %.2f)%n",
          k,
          size,
          clusterBytes,
          shards.listShards().size(),
          ratio,
          (double) datasetBytes / clusterBytes);
      assertThat(ratio).isBetween(1.0, 1.05);
    }

    // The router's source: every sample once, labelled by the cluster it was written to.
    ClusterShardSource all = new ClusterShardSource(store, layout, EXPERTS);
    Map<Integer, Integer> perCluster = new HashMap<>();
    try (ShuffledSampleStream stream =
        new ShuffledSampleStream(
            all,
            new SampleDecoder(ImageFormat.rgb(16), "cls"),
            new LoaderOptions(8, 2),
            1,
            true,
            DataCursor.START,
            raw -> true)) {
      List<String> shardsOfFirstBatch =
          stream.nextBatch(64).stream().map(s -> s.shard()).distinct().toList();
      assertThat(shardsOfFirstBatch.stream().map(ClusterShardSource::clusterOf).distinct().count())
          .as("a router batch mixes clusters")
          .isGreaterThan(1);
      stream.nextBatch(SAMPLES - 64);
      assertThat(stream.cursor().epoch()).isZero();
    }
    for (String shard : all.listShards()) {
      perCluster.merge(ClusterShardSource.clusterOf(shard), 1, Integer::sum);
    }
    assertThat(perCluster).hasSize(EXPERTS);
  }
}
