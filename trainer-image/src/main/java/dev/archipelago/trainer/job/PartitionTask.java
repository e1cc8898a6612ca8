package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.FeatureExtractor;
import dev.archipelago.api.spec.FeatureNormalization;
import dev.archipelago.api.spec.FeatureSpec;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.partition.EmbeddingFeatures;
import dev.archipelago.trainer.partition.ImageFeatures;
import dev.archipelago.trainer.partition.L2NormalizedFeatures;
import dev.archipelago.trainer.partition.PartitionJob;
import dev.archipelago.trainer.partition.PartitionStop;
import dev.archipelago.trainer.partition.PartitionStoppedException;
import dev.archipelago.trainer.partition.PixelFeatures;
import dev.archipelago.trainer.partition.TorchScriptFeatures;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition task: generates a {@code synthetic://} data set into the run's storage if needed,
 * then partitions. A partition whose {@code cluster-sizes.json} exists is complete, so a retry
 * after it exits at once; a retry before it reuses the feature chunks already stored and redoes the
 * rest (the partition is deterministic). A stop request (SIGTERM) ends it early with PREEMPTED.
 */
public final class PartitionTask {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionTask.class);

  private PartitionTask() {}

  /** Returns {@link ExitCodes#OK}, or {@link ExitCodes#PREEMPTED} when stopped early. */
  public static int run(JobContext context) throws IOException {
    RunConfig config = context.config();
    ObjectStore store = context.runStore();
    if (store.read(config.layout().clusterSizes()).isPresent()) {
      LOG.info("partition already complete at {}", config.layout().clusterSizes());
      return ExitCodes.OK;
    }
    if (config.dataset().getEncode() == null) {
      // With an encode stage the generated images were written, and encoded, before.
      SyntheticDataset.generateIfSynthetic(config, store);
    }
    PartitionStop stop = new PartitionStop(() -> context.stop().stopRequested(0));
    try (ImageFeatures features = features(context)) {
      PartitionJob.withDefaults()
          .stoppingOn(stop)
          .withIslandClusters(context.clusterLocations(), context.stores())
          .run(config, DatasetLocation.shards(context), features, store, context.scratch());
      return ExitCodes.OK;
    } catch (PartitionStoppedException e) {
      LOG.warn(
          "{}; exiting with PREEMPTED; only feature chunks written (a retry resumes from them)",
          e.getMessage());
      return ExitCodes.PREEMPTED;
    }
  }

  private static ImageFeatures features(JobContext context) throws IOException {
    FeatureSpec spec = context.config().partitioning().getFeatures();
    ImageFeatures features = extractor(context, spec);
    return spec != null && Boolean.TRUE.equals(spec.getL2Normalize())
        ? new L2NormalizedFeatures(features)
        : features;
  }

  private static ImageFeatures extractor(JobContext context, FeatureSpec spec) throws IOException {
    ImageFormat dataset = ImageFormat.of(context.config().dataset());
    if (spec == null || spec.getType() == null || spec.getType() == FeatureExtractor.PIXELS) {
      int channels =
          context.config().dataset().trainsOnLatents()
              ? context.config().dataset().getLatents().getChannels()
              : dataset.channels();
      return new PixelFeatures(PixelFeatures.DEFAULT_GRID, channels);
    }
    if (spec.getType() == FeatureExtractor.EMBEDDING) {
      return EmbeddingFeatures.probe(DatasetLocation.shards(context), spec.getEmbeddingKey());
    }
    String modelUri = spec.getModelUri();
    Path local = ModelFiles.fetch(context.stores(), modelUri, context.scratch(), "encoder-");
    ImageFormat input =
        spec.getInputSize() == null
            ? dataset
            : new ImageFormat(spec.getInputSize(), dataset.channels());
    FeatureNormalization normalization =
        spec.getNormalization() == null ? FeatureNormalization.SIGNED : spec.getNormalization();
    return new TorchScriptFeatures(local, input, normalization, modelUri);
  }
}
