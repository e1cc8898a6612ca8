package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.FeatureExtractor;
import dev.archipelago.api.spec.FeatureNormalization;
import dev.archipelago.api.spec.FeatureSpec;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.partition.ImageFeatures;
import dev.archipelago.trainer.partition.L2NormalizedFeatures;
import dev.archipelago.trainer.partition.PartitionJob;
import dev.archipelago.trainer.partition.PartitionStop;
import dev.archipelago.trainer.partition.PartitionStoppedException;
import dev.archipelago.trainer.partition.PixelFeatures;
import dev.archipelago.trainer.partition.TorchScriptFeatures;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import dev.archipelago.trainer.storage.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    String uri = config.dataset().getUri();
    if (SyntheticDataset.isSynthetic(uri)) {
      SyntheticDataset synthetic = SyntheticDataset.parse(uri);
      ObjectStoreShards sink =
          new ObjectStoreShards(store, DatasetLocation.generatedPrefix(config));
      LOG.info("generating {} into {}", uri, sink.describe());
      new ShapesDatasetGenerator(synthetic.seed())
          .generate(
              synthetic.samples(), config.dataset().getImageSize(), synthetic.shardSize(), sink);
    }
    PartitionStop stop = new PartitionStop(() -> context.stop().stopRequested(0));
    try (ImageFeatures features = features(context)) {
      PartitionJob.withDefaults()
          .stoppingOn(stop)
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
      return new PixelFeatures(PixelFeatures.DEFAULT_GRID, dataset.channels());
    }
    String modelUri = spec.getModelUri();
    if (modelUri == null) {
      throw new IllegalArgumentException("features.type torchscript needs features.modelUri");
    }
    S3Uri object = S3Uri.parseObject(modelUri);
    Path local = Files.createTempFile(context.scratch(), "encoder-", ".pt");
    try (InputStream in = context.stores().forBucket(object.bucket()).open(object.prefix())) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    }
    ImageFormat input =
        spec.getInputSize() == null
            ? dataset
            : new ImageFormat(spec.getInputSize(), dataset.channels());
    FeatureNormalization normalization =
        spec.getNormalization() == null ? FeatureNormalization.SIGNED : spec.getNormalization();
    return new TorchScriptFeatures(local, input, normalization, modelUri);
  }
}
