package dev.archipelago.trainer.partition;

import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.spec.PartitioningMethod;
import dev.archipelago.api.spec.PartitioningSpec;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkipReason;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.latent.LatentShape;
import dev.archipelago.trainer.random.Seeds;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a data set into K clusters and writes the partition: each cluster's samples as its own
 * WebDataset shards (a second pass over the data), the centroids, a report and, last, the cluster
 * sizes that mark it complete.
 *
 * <p>Features are stored in the object store a chunk of source shards at a time ({@link
 * FeatureChunks}); a stop request ({@link PartitionStop}) ends the job at its next check with
 * nothing of the partition written but those chunks, and the next attempt extracts only the chunks
 * that are missing. They are deleted once the partition is complete.
 *
 * <p>Memory: one chunk of features, the feature table on local scratch disk (not the heap), the
 * fine centroids, and 8 bytes a sample: its cluster and the hash of its key ({@link RowOrigins}),
 * to find each sample's cluster again in the second pass (about 800 MB at 100M samples).
 */
public final class PartitionJob {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionJob.class);
  private static final int SCAN_BATCH = 64;

  /** Source shards per feature chunk: a preemption loses at most one chunk's extraction. */
  static final int DEFAULT_CHUNK_SHARDS = 16;

  private final TwoStageKMeans kmeans;
  private final PartitionStop stop;
  private final long clusterShardBytes;
  private final int chunkShards;
  private final ClusterLocations islandClusters;
  private final ObjectStores islandStores;

  private PartitionJob(
      TwoStageKMeans kmeans,
      PartitionStop stop,
      long clusterShardBytes,
      int chunkShards,
      ClusterLocations islandClusters,
      ObjectStores islandStores) {
    this.islandClusters = islandClusters;
    this.islandStores = islandStores;
    this.kmeans = kmeans;
    this.stop = stop;
    this.clusterShardBytes = clusterShardBytes;
    this.chunkShards = chunkShards;
  }

  public static PartitionJob withDefaults() {
    return new PartitionJob(
        new TwoStageKMeans(MiniBatchKMeans.defaults()),
        PartitionStop.NEVER,
        ClusterShardWriter.DEFAULT_SHARD_BYTES,
        DEFAULT_CHUNK_SHARDS,
        new ClusterLocations(List.of()),
        null);
  }

  /** The same job, ending early with {@link PartitionStoppedException} when {@code stop} asks. */
  public PartitionJob stoppingOn(PartitionStop stop) {
    return new PartitionJob(
        kmeans, stop, clusterShardBytes, chunkShards, islandClusters, islandStores);
  }

  /** The same job, cutting each cluster's shards at about {@code bytes}. */
  public PartitionJob withClusterShardBytes(long bytes) {
    return new PartitionJob(kmeans, stop, bytes, chunkShards, islandClusters, islandStores);
  }

  /** The same job, storing features every {@code shards} source shards. */
  public PartitionJob withFeatureChunkShards(int shards) {
    return new PartitionJob(kmeans, stop, clusterShardBytes, shards, islandClusters, islandStores);
  }

  /**
   * The same job, writing the clusters {@code locations} lists to their islands' buckets (opened
   * with {@code stores}) and recording them ({@link StorageLayout#clusterLocations}).
   */
  public PartitionJob withIslandClusters(ClusterLocations locations, ObjectStores stores) {
    return new PartitionJob(kmeans, stop, clusterShardBytes, chunkShards, locations, stores);
  }

  /** The partition's outcome, for the caller's log and for tests. */
  public record Outcome(ClusterSizes sizes, long skipped) {}

  public Outcome run(
      RunConfig config, ShardSource data, ImageFeatures features, ObjectStore store, Path scratch)
      throws IOException {
    PartitioningSpec spec = config.partitioning();
    int experts = spec.getExperts();
    long seed = spec.getSeed();
    StorageLayout layout = config.layout();
    // An image encoder decodes at its own input size (a DINOv2 export wants 224 px).
    SampleDecoder decoder = features.decoder(config.dataset());
    SkippedSamples skipped = new SkippedSamples();

    long started = System.nanoTime();
    Path featureFile = Files.createTempFile(scratch, "features-", ".f32");
    FeatureChunks chunks = new FeatureChunks(store, layout, features.dimension());
    try (FeatureFile table = new FeatureFile(featureFile, features.dimension())) {
      List<String> shards = data.listShards();
      if (shards.isEmpty()) {
        throw new IllegalArgumentException("no *.tar shards in " + data.describe());
      }
      RowOrigins origins = new RowOrigins(shards);
      String fingerprint = fingerprint(config, features);
      int reused = 0;
      for (int c = 0; c * chunkShards < shards.size(); c++) {
        List<String> ofChunk =
            List.copyOf(
                shards.subList(c * chunkShards, Math.min(shards.size(), (c + 1) * chunkShards)));
        Optional<FeatureChunks.Stored> stored = chunks.read(c, fingerprint, ofChunk);
        if (stored.isPresent()) {
          reused++;
        } else {
          stored = Optional.of(scanChunk(data, decoder, features, ofChunk, fingerprint));
          chunks.write(c, stored.get().chunk(), stored.get().rows());
        }
        FeatureChunk chunk = stored.get().chunk();
        for (int i = 0; i < chunk.rows(); i++) {
          origins.add(c * chunkShards + chunk.shardOfRow()[i], chunk.keyOfRow().get(i));
          table.append(stored.get().rows()[i]);
        }
        chunk
            .skippedByReason()
            .forEach((reason, count) -> skipped.add(SkipReason.valueOf(reason), count));
      }
      double featureSeconds = seconds(started);
      int n = table.size();
      LOG.info(
          "features of {} samples from {} in {} s ({} skipped; {} of {} chunks from an earlier attempt)",
          n,
          data.describe(),
          String.format("%.1f", featureSeconds),
          skipped.total(),
          reused,
          (shards.size() + chunkShards - 1) / chunkShards);
      if (n < experts) {
        throw new IllegalArgumentException(
            "only " + n + " readable samples for " + experts + " experts in " + data.describe());
      }

      long clusteringStarted = System.nanoTime();
      Standardization standardization =
          features.standardize()
              ? table.standardization()
              : Standardization.identity(features.dimension());
      int[] clusterOfRow;
      Double inertia = null;
      Centroids centroids = null;
      if (spec.getMethod() == PartitioningMethod.RANDOM) {
        clusterOfRow = new int[n];
        for (int i = 0; i < n; i++) {
          clusterOfRow[i] = Seeds.random(seed, i).nextInt(experts);
        }
      } else {
        TwoStageKMeans.Result result =
            kmeans.fit(standardization.over(table), spec.getFineClusters(), experts, seed, stop);
        clusterOfRow = result.clusterOfRow();
        inertia = result.fineInertia();
        centroids =
            new Centroids(
                features.describe(),
                features.dimension(),
                standardization.mean(),
                standardization.std(),
                result.fineCentroids(),
                result.fineToCluster(),
                result.fineCounts(),
                result.clusterCentroids());
      }
      double clusteringSeconds = seconds(clusteringStarted);

      // The last chance to stop before writing; the reshard checks again between shards (an
      // interrupted one is deleted by the next attempt, and cluster sizes are not yet written).
      stop.check("clustering");
      long[] sizes = new long[experts];
      for (int k : clusterOfRow) {
        sizes[k]++;
      }
      long reshardStarted = System.nanoTime();
      long[] clusterBytes =
          reshard(
              data,
              layout,
              store,
              scratch,
              experts,
              origins,
              clusterOfRow,
              config.dataset().trainsOnLatents());
      double reshardSeconds = seconds(reshardStarted);
      LOG.info(
          "wrote each cluster's shards in {} s: {} bytes",
          String.format("%.1f", reshardSeconds),
          Arrays.toString(clusterBytes));
      if (centroids != null) {
        store.put(layout.centroids(), ContractJson.writeBytes(centroids));
      }
      Map<String, Long> skippedByReason = new LinkedHashMap<>();
      skipped.byReason().forEach((reason, count) -> skippedByReason.put(reason.name(), count));
      ClusterSizes clusterSizes = new ClusterSizes(Arrays.stream(sizes).boxed().toList());
      store.put(
          layout.partitionReport(),
          ContractJson.writeBytes(
              new PartitionReport(
                  spec.getMethod().name().toLowerCase(),
                  features.describe(),
                  experts,
                  spec.getFineClusters(),
                  n,
                  skipped.total(),
                  skippedByReason,
                  clusterSizes.sizes(),
                  Arrays.stream(clusterBytes).boxed().toList(),
                  inertia,
                  featureSeconds,
                  clusteringSeconds,
                  reshardSeconds,
                  seed)));
      // Last: its presence tells the operator (and the trainers) the partition is complete.
      if (!islandClusters.clusters().isEmpty()) {
        store.put(layout.clusterLocations(), ContractJson.writeBytes(islandClusters));
      }
      store.put(layout.clusterSizes(), ContractJson.writeBytes(clusterSizes));
      chunks.deleteAll();
      LOG.info("partition written: cluster sizes {}", clusterSizes.sizes());
      return new Outcome(clusterSizes, skipped.total());
    }
  }

  /** Extracts the features of one chunk of shards, checking for a stop before every batch. */
  private FeatureChunks.Stored scanChunk(
      ShardSource data,
      SampleDecoder decoder,
      ImageFeatures features,
      List<String> shards,
      String fingerprint)
      throws IOException {
    DatasetScan scan =
        new DatasetScan(data, decoder, SCAN_BATCH, Runtime.getRuntime().availableProcessors());
    Map<String, Integer> shardIndex = new HashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      shardIndex.put(shards.get(i), i);
    }
    List<float[]> rows = new ArrayList<>();
    List<Integer> shardOfRow = new ArrayList<>();
    List<String> keyOfRow = new ArrayList<>();
    scan.run(
        shards,
        batch -> {
          stop.check("the feature scan");
          float[][] extracted = features.extract(batch);
          for (int i = 0; i < batch.size(); i++) {
            Sample sample = batch.get(i);
            shardOfRow.add(shardIndex.get(sample.shard()));
            keyOfRow.add(sample.key());
            rows.add(extracted[i]);
          }
        });
    Map<String, Long> skippedByReason = new LinkedHashMap<>();
    scan.skipped().byReason().forEach((reason, count) -> skippedByReason.put(reason.name(), count));
    FeatureChunk chunk =
        new FeatureChunk(
            fingerprint,
            shards,
            rows.size(),
            shardOfRow.stream().mapToInt(Integer::intValue).toArray(),
            keyOfRow,
            skippedByReason);
    return new FeatureChunks.Stored(chunk, rows.toArray(float[][]::new));
  }

  /**
   * What a chunk's features depend on: a chunk from another data set or extractor is not reused.
   */
  private static String fingerprint(RunConfig config, ImageFeatures features) {
    return config.dataset().getUri()
        + "|"
        + config.dataset().getImageSize()
        + "|"
        + config.dataset().getChannels()
        + "|"
        + (config.dataset().trainsOnLatents()
            ? LatentShape.of(config.dataset().getLatents())
            : "images")
        + "|"
        + features.describe();
  }

  /**
   * The second pass: copies every sample the scan kept into its cluster's shards. It reads the data
   * set in the scan's order, so row i is the i-th sample the scan decoded; a sample the scan
   * skipped is not in the rows and is passed over. Returns each cluster's bytes.
   */
  private long[] reshard(
      ShardSource data,
      StorageLayout layout,
      ObjectStore store,
      Path scratch,
      int experts,
      RowOrigins origins,
      int[] clusterOfRow,
      boolean dropImages)
      throws IOException {
    int row = 0;
    int shardStart = 0;
    SkippedSamples ignored = new SkippedSamples();
    List<ClusterDestination> destinations = new ArrayList<>();
    for (int k = 0; k < experts; k++) {
      destinations.add(
          islandClusters
              .of(k)
              .map(
                  l ->
                      new ClusterDestination(
                          islandStores.forBucket(l.bucket(), l.region()), l.prefix()))
              .orElse(new ClusterDestination(store, layout.clusterShards(k))));
    }
    try (ClusterShardWriter out =
        new ClusterShardWriter(destinations, scratch, clusterShardBytes, dropImages)) {
      for (int s = 0; s < origins.shards().size(); s++) {
        String shard = origins.shards().get(s);
        int shardEnd = shardStart + origins.rowsOf(s);
        stop.check("writing the clusters' shards");
        try (InputStream in = data.open(shard);
            TarSampleReader reader = new TarSampleReader(in, shard, ignored)) {
          for (RawSample raw = reader.next(); raw != null && row < shardEnd; raw = reader.next()) {
            if (origins.matches(row, raw.key())) {
              out.add(clusterOfRow[row], raw);
              row++;
            }
          }
        } catch (UncheckedIOException e) {
          // The scan met the same broken shard and kept what came before the break, as here.
        }
        if (row != shardEnd) {
          break;
        }
        shardStart = shardEnd;
      }
      if (row != clusterOfRow.length) {
        throw new IllegalStateException(
            "the data set changed while it was partitioned: "
                + (clusterOfRow.length - row)
                + " of the scanned samples were not found again in "
                + data.describe());
      }
      out.close();
      return out.bytes();
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
