package dev.archipelago.trainer.partition;

import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.spec.PartitioningMethod;
import dev.archipelago.api.spec.PartitioningSpec;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.random.Seeds;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a data set into K clusters and writes the partition: one assignment file per expert, the
 * centroids, a report and, last, the cluster sizes that mark it complete.
 *
 * <p>A stop request ends it before anything is written ({@link PartitionStop}).
 *
 * <p>Memory: one batch of decoded images, the feature table on local scratch disk (not the heap),
 * the fine centroids, and the sample ids (needed to write the assignments).
 */
public final class PartitionJob {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionJob.class);
  private static final int SCAN_BATCH = 64;

  private final TwoStageKMeans kmeans;
  private final PartitionStop stop;

  public PartitionJob(TwoStageKMeans kmeans, PartitionStop stop) {
    this.kmeans = kmeans;
    this.stop = stop;
  }

  public static PartitionJob withDefaults() {
    return new PartitionJob(new TwoStageKMeans(MiniBatchKMeans.defaults()), PartitionStop.NEVER);
  }

  /** The same job, ending early with {@link PartitionStoppedException} when {@code stop} asks. */
  public PartitionJob stoppingOn(PartitionStop stop) {
    return new PartitionJob(kmeans, stop);
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
    DatasetScan scan = new DatasetScan(data, ImageFormat.of(config.dataset()), SCAN_BATCH);
    List<String> shardOfRow = new ArrayList<>();
    List<String> keyOfRow = new ArrayList<>();

    long started = System.nanoTime();
    Path featureFile = Files.createTempFile(scratch, "features-", ".f32");
    try (FeatureFile table = new FeatureFile(featureFile, features.dimension())) {
      scan.run(
          batch -> {
            stop.check("the feature scan");
            float[][] rows = features.extract(batch);
            for (int i = 0; i < batch.size(); i++) {
              Sample sample = batch.get(i);
              shardOfRow.add(sample.shard());
              keyOfRow.add(sample.key());
              table.append(rows[i]);
            }
          });
      double featureSeconds = seconds(started);
      int n = table.size();
      LOG.info(
          "features of {} samples from {} in {} s ({} skipped)",
          n,
          data.describe(),
          String.format("%.1f", featureSeconds),
          scan.skipped().total());
      if (n < experts) {
        throw new IllegalArgumentException(
            "only " + n + " readable samples for " + experts + " experts in " + data.describe());
      }

      long clusteringStarted = System.nanoTime();
      Standardization standardization = table.standardization();
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

      // The last chance to stop: from here on the partition is written.
      stop.check("clustering");
      long[] sizes = new long[experts];
      List<Map<String, List<String>>> byExpert = new ArrayList<>();
      for (int k = 0; k < experts; k++) {
        byExpert.add(new LinkedHashMap<>());
      }
      for (int i = 0; i < n; i++) {
        int k = clusterOfRow[i];
        sizes[k]++;
        byExpert
            .get(k)
            .computeIfAbsent(shardOfRow.get(i), s -> new ArrayList<>())
            .add(keyOfRow.get(i));
      }
      for (int k = 0; k < experts; k++) {
        store.put(
            layout.assignments(k),
            ContractJson.writeBytes(new ExpertAssignment(k, sizes[k], byExpert.get(k))));
      }
      if (centroids != null) {
        store.put(layout.centroids(), ContractJson.writeBytes(centroids));
      }
      SkippedSamples skipped = scan.skipped();
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
                  inertia,
                  featureSeconds,
                  clusteringSeconds,
                  seed)));
      // Last: its presence tells the operator (and the trainers) the partition is complete.
      store.put(layout.clusterSizes(), ContractJson.writeBytes(clusterSizes));
      LOG.info("partition written: cluster sizes {}", clusterSizes.sizes());
      return new Outcome(clusterSizes, skipped.total());
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
