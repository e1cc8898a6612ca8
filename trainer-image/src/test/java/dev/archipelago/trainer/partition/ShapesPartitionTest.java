package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.storage.InMemoryObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pixel-feature partition of the shapes data. Measure: the normalised mutual information (NMI)
 * between the K clusters and each generating factor (background, colour, shape, size), computed
 * over all samples from the factors in each sample's {@code .json}. Pixel features see large
 * uniform regions first, so the clusters should follow the background (4 values) closely and the
 * shape kind barely.
 */
class ShapesPartitionTest {
  private static final int SAMPLES = 1200;
  private static final List<String> FACTORS = List.of("background", "color", "shape", "size");
  @TempDir static Path data;
  @TempDir Path scratch;

  @BeforeAll
  static void generate() throws Exception {
    new ShapesDatasetGenerator(4).generate(SAMPLES, 16, 300, new LocalShardDirectory(data));
  }

  @Test
  void theClustersFollowTheBackgroundFactor() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    RunConfig config = config(4);
    PartitionJob.Outcome outcome =
        PartitionJob.withDefaults()
            .run(config, new LocalShardDirectory(data), new PixelFeatures(8, 3), store, scratch);

    assertThat(outcome.sizes().total()).isEqualTo(SAMPLES);
    Map<String, Integer> clusterOfKey = clusters(store, config.layout(), 4);
    Map<String, Double> nmi = new LinkedHashMap<>();
    for (String factor : FACTORS) {
      nmi.put(factor, agreement(clusterOfKey, factor));
    }
    System.out.println("shapes partition K=4, NMI with each factor: " + nmi);
    assertThat(nmi.get("background")).isGreaterThanOrEqualTo(0.8);
    assertThat(nmi.get("background")).isGreaterThan(nmi.get("shape"));
    assertThat(store.read(config.layout().centroids())).isPresent();
    assertThat(store.read(config.layout().partitionReport())).isPresent();
  }

  @Test
  void isDeterministicForASeed() throws Exception {
    InMemoryObjectStore first = new InMemoryObjectStore();
    InMemoryObjectStore second = new InMemoryObjectStore();
    RunConfig config = config(3);
    PartitionJob.withDefaults()
        .run(config, new LocalShardDirectory(data), new PixelFeatures(8, 3), first, scratch);
    PartitionJob.withDefaults()
        .run(config, new LocalShardDirectory(data), new PixelFeatures(8, 3), second, scratch);
    for (int k = 0; k < 3; k++) {
      String shard = config.layout().clusterShards(k) + "shard-000000.tar";
      assertThat(second.read(shard).orElseThrow()).isEqualTo(first.read(shard).orElseThrow());
    }
    assertThat(second.read(config.layout().centroids()).orElseThrow())
        .isEqualTo(first.read(config.layout().centroids()).orElseThrow());
  }

  private static RunConfig config(int experts) {
    return TestRun.small()
        .experts(experts, 32)
        .dataset("s3://unused/data/", 16)
        .config("http://unused.invalid");
  }

  private static Map<String, Integer> clusters(
      InMemoryObjectStore store, StorageLayout layout, int k) throws IOException {
    Map<String, Integer> out = new HashMap<>();
    ClusterSizes sizes =
        ContractJson.read(store.read(layout.clusterSizes()).orElseThrow(), ClusterSizes.class);
    assertThat(sizes.sizes()).hasSize(k);
    long total = 0;
    for (int expert = 0; expert < k; expert++) {
      ObjectStoreShards shards = new ObjectStoreShards(store, layout.clusterShards(expert));
      for (String shard : shards.listShards()) {
        try (InputStream in = shards.open(shard);
            TarSampleReader reader = new TarSampleReader(in, shard, new SkippedSamples())) {
          for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
            // A resharded key is <source shard stem>/<source key>.
            int slash = raw.key().indexOf('/');
            out.put(
                raw.key().substring(0, slash) + ".tar/" + raw.key().substring(slash + 1), expert);
            total++;
          }
        }
      }
      assertThat(total).as("samples up to cluster " + expert).isEqualTo(out.size());
    }
    assertThat(total).isEqualTo(sizes.total());
    return out;
  }

  private static double agreement(Map<String, Integer> clusterOfKey, String factor)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> values = new HashMap<>();
    int[] clusters = new int[clusterOfKey.size()];
    int[] factorValues = new int[clusterOfKey.size()];
    int i = 0;
    for (String shard : new LocalShardDirectory(data).listShards()) {
      try (InputStream in = Files.newInputStream(data.resolve(shard));
          TarSampleReader reader = new TarSampleReader(in, shard, new SkippedSamples())) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          JsonNode meta = json.readTree(raw.parts().get("json"));
          clusters[i] = clusterOfKey.get(shard + "/" + raw.key());
          factorValues[i] = values.computeIfAbsent(meta.get(factor).asText(), v -> values.size());
          i++;
        }
      }
    }
    return ClusterAgreement.normalizedMutualInformation(clusters, factorValues);
  }
}
