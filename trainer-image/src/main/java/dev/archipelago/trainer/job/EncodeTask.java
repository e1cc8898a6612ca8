package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.EncodeSpec;
import dev.archipelago.api.spec.FeatureExtractor;
import dev.archipelago.api.spec.FeatureSpec;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.latent.EncodeJob;
import dev.archipelago.trainer.latent.LatentEncoder;
import dev.archipelago.trainer.latent.LatentShape;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encode task of a latent run with {@code spec.dataset.encode}: runs the VAE encoder over the
 * data set's image shards and writes latent shards for the partition ({@link
 * dev.archipelago.api.contract.StorageLayout#encodedShards}). Its report marks it complete, so a
 * retry after that exits at once, and a retry before it encodes only the shards still missing. A
 * stop request ends it between shards with PREEMPTED.
 */
public final class EncodeTask {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeTask.class);

  private EncodeTask() {}

  public static int run(JobContext context) throws IOException {
    RunConfig config = context.config();
    DatasetSpec dataset = config.dataset();
    EncodeSpec encode = dataset.getEncode();
    if (encode == null || !dataset.trainsOnLatents()) {
      throw new BadConfigException(
          "the encode task needs spec.dataset.format latents and spec.dataset.encode");
    }
    ObjectStore store = context.runStore();
    if (store.read(config.layout().encodeReport()).isPresent()) {
      LOG.info("encode already complete at {}", config.layout().encodeReport());
      return ExitCodes.OK;
    }
    SyntheticDataset.generateIfSynthetic(config, store);
    ImageFormat images = ImageFormat.of(dataset);
    Path file =
        ModelFiles.fetch(context.stores(), encode.getEncoderUri(), context.scratch(), "vae-");
    try (LatentEncoder encoder =
        new LatentEncoder(
            file, encode.getEncoderUri(), images, LatentShape.of(dataset.getLatents()))) {
      EncodeJob job =
          new EncodeJob(
              encoder,
              new SampleDecoder(images, null),
              dataset.getLatents().getKey(),
              partitionReadsImages(config.partitioning().getFeatures()),
              encode.getBatchSize(),
              Runtime.getRuntime().availableProcessors());
      EncodeJob.Report report =
          job.run(
              DatasetLocation.sourceShards(context),
              new ObjectStoreShards(store, config.layout().encodedShards()),
              () -> context.stop().stopRequested(0));
      if (report == null) {
        LOG.warn("stopped; exiting with PREEMPTED (a retry encodes the remaining shards)");
        return ExitCodes.PREEMPTED;
      }
      store.put(config.layout().encodeReport(), ContractJson.writeBytes(report));
      return ExitCodes.OK;
    }
  }

  /** A TorchScript feature encoder clusters on the images, so the latent shards keep them. */
  private static boolean partitionReadsImages(FeatureSpec features) {
    return features != null && features.getType() == FeatureExtractor.TORCHSCRIPT;
  }
}
