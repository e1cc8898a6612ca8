package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.NpyArray;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.data.WebDatasetShardWriter;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.storage.InMemoryObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustering on precomputed embeddings ({@code features.type: embedding}): samples whose .npy
 * vectors form two far-apart blobs land in two clusters, one blob each, whatever else the samples
 * hold; a sample without the embedding is skipped and counted.
 */
class EmbeddingPartitionTest {
  private static final int DIMENSION = 12;
  @TempDir Path data;
  @TempDir Path scratch;

  @Test
  void twoBlobsOfEmbeddingsBecomeTwoClusters() throws Exception {
    LocalShardDirectory source = new LocalShardDirectory(data);
    Random random = new Random(9);
    for (int shard = 0; shard < 3; shard++) {
      try (OutputStream out = source.create(String.format("emb-%06d.tar", shard));
          WebDatasetShardWriter writer = new WebDatasetShardWriter(out)) {
        for (int i = 0; i < 40; i++) {
          int blob = random.nextInt(2);
          float[] vector = new float[DIMENSION];
          for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (blob == 0 ? -4f : 4f) + (float) random.nextGaussian();
          }
          Map<String, byte[]> parts = new LinkedHashMap<>();
          parts.put("dino.npy", new NpyArray(new int[] {DIMENSION}, vector).toBytes());
          parts.put("cls", Integer.toString(blob).getBytes(StandardCharsets.UTF_8));
          writer.write(String.format("s%d_%03d", shard, i), parts);
        }
        writer.write("no_embedding", Map.of("cls", "0".getBytes(StandardCharsets.UTF_8)));
      }
    }
    InMemoryObjectStore store = new InMemoryObjectStore();
    RunConfig config =
        TestRun.small().experts(2, 8).dataset("s3://unused/data/", 16).config("http://unused");
    EmbeddingFeatures features = EmbeddingFeatures.probe(source, "dino.npy");
    assertThat(features.dimension()).isEqualTo(DIMENSION);

    PartitionJob.Outcome outcome =
        PartitionJob.withDefaults().run(config, source, features, store, scratch);

    assertThat(outcome.sizes().sizes().stream().mapToLong(Long::longValue).sum()).isEqualTo(120);
    assertThat(outcome.skipped()).as("the samples without an embedding").isEqualTo(3);
    StorageLayout layout = config.layout();
    Set<String> blobsSeen = new HashSet<>();
    for (int k = 0; k < 2; k++) {
      Set<String> blobs = blobsIn(new ObjectStoreShards(store, layout.clusterShards(k)));
      assertThat(blobs).as("cluster %d holds one blob", k).hasSize(1);
      blobsSeen.addAll(blobs);
    }
    assertThat(blobsSeen).containsExactlyInAnyOrder("0", "1");
  }

  private static Set<String> blobsIn(ObjectStoreShards shards) throws Exception {
    Set<String> blobs = new HashSet<>();
    for (String shard : shards.listShards()) {
      try (InputStream in = shards.open(shard);
          TarSampleReader reader = new TarSampleReader(in, shard, new SkippedSamples())) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          blobs.add(new String(raw.parts().get("cls"), StandardCharsets.UTF_8));
        }
      }
    }
    return blobs;
  }
}
