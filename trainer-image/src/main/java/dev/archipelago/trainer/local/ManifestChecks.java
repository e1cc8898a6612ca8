package dev.archipelago.trainer.local;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.LatentSpec;
import dev.archipelago.api.spec.ModelSpec;
import dev.archipelago.api.spec.PartitioningMethod;
import dev.archipelago.api.spec.PartitioningSpec;
import dev.archipelago.api.spec.TrainingSpec;

/**
 * The checks a cluster's API server makes (the CRD's required fields and cross-field rules) that
 * matter on one machine, so that a manifest that would be rejected by {@code kubectl apply} is
 * rejected here too, with the field named, before any process starts.
 */
final class ManifestChecks {
  private static final int MAX_EXPERTS = 64;

  private ManifestChecks() {}

  static void check(DDMRun run) {
    if (run.getMetadata() == null || isBlank(run.getMetadata().getName())) {
      throw new ManifestException("metadata.name is required");
    }
    DDMRunSpec spec = require(run.getSpec(), "spec");
    DatasetSpec dataset = require(spec.getDataset(), "spec.dataset");
    if (isBlank(dataset.getUri())) {
      throw new ManifestException("spec.dataset.uri is required");
    }
    PartitioningSpec partitioning = require(spec.getPartitioning(), "spec.partitioning");
    Integer experts = require(partitioning.getExperts(), "spec.partitioning.experts");
    if (experts < 1 || experts > MAX_EXPERTS) {
      throw new ManifestException(
          "spec.partitioning.experts must be 1 to " + MAX_EXPERTS + ", got " + experts);
    }
    if (partitioning.getMethod() == PartitioningMethod.KMEANS
        && partitioning.getFineClusters() != null
        && partitioning.getFineClusters() < experts) {
      throw new ManifestException(
          "spec.partitioning.fineClusters must be ≥ spec.partitioning.experts (" + experts + ")");
    }
    checkLatents(dataset, spec.getInference());
    checkModel(require(spec.getModel(), "spec.model"), dataset);
    checkTraining(spec.getTraining());
    checkInference(spec.getInference(), experts);
  }

  private static void checkModel(ModelSpec model, DatasetSpec dataset) {
    boolean explicit = model.getDepth() != null || model.getWidth() != null;
    if ((model.getPreset() != null) == explicit) {
      throw new ManifestException(
          "spec.model must set either spec.model.preset or spec.model.depth/width/heads");
    }
    if (explicit
        && (model.getDepth() == null || model.getWidth() == null || model.getHeads() == null)) {
      throw new ManifestException(
          "spec.model.depth, spec.model.width and spec.model.heads must be set together");
    }
    if (explicit && model.getWidth() % model.getHeads() != 0) {
      throw new ManifestException("spec.model.width must be a multiple of spec.model.heads");
    }
    Integer patch = model.getPatchSize();
    boolean latents = dataset.trainsOnLatents();
    Integer size = latents ? dataset.getLatents().getSize() : dataset.getImageSize();
    String sizeField = latents ? "spec.dataset.latents.size" : "spec.dataset.imageSize";
    if (patch != null && size != null && (patch < 1 || size % patch != 0)) {
      throw new ManifestException(
          "spec.model.patchSize (" + patch + ") must divide " + sizeField + " (" + size + ")");
    }
    if (patch != null && size != null && (size / patch) * (size / patch) > ModelSpec.MAX_TOKENS) {
      throw new ManifestException(
          "spec.model.patchSize is too small for the input: ("
              + size
              + " / "
              + patch
              + ")^2 tokens must be at most "
              + ModelSpec.MAX_TOKENS);
    }
  }

  private static void checkLatents(DatasetSpec dataset, InferenceSpec inference) {
    if (dataset.trainsOnLatents()) {
      LatentSpec latents = require(dataset.getLatents(), "spec.dataset.latents");
      require(latents.getChannels(), "spec.dataset.latents.channels");
      require(latents.getSize(), "spec.dataset.latents.size");
      if (inference != null
          && !Boolean.FALSE.equals(inference.getEnabled())
          && isBlank(inference.getDecoderUri())) {
        throw new ManifestException(
            "spec.inference.decoderUri is required to sample a latent run (spec.dataset.format"
                + " latents)");
      }
    }
    if (dataset.getEncode() != null) {
      if (!dataset.trainsOnLatents()) {
        throw new ManifestException(
            "spec.dataset.encode needs spec.dataset.format latents (it writes latents)");
      }
      require(dataset.getEncode().getEncoderUri(), "spec.dataset.encode.encoderUri");
    }
  }

  private static void checkTraining(TrainingSpec training) {
    if (training == null) {
      return;
    }
    if (training.getSteps() != null && training.getSteps() < 1) {
      throw new ManifestException("spec.training.steps must be ≥ 1");
    }
    if (training.getWarmupSteps() != null
        && training.getSteps() != null
        && training.getWarmupSteps() >= training.getSteps()) {
      throw new ManifestException("spec.training.warmupSteps must be < spec.training.steps");
    }
    if (training.getCheckpointEvery() != null && training.getCheckpointEvery() < 1) {
      throw new ManifestException("spec.training.checkpointEvery must be ≥ 1");
    }
  }

  private static void checkInference(InferenceSpec inference, int experts) {
    if (inference == null) {
      return;
    }
    boolean topk = inference.getStrategy() == InferenceStrategy.TOPK;
    if (topk != (inference.getTopK() != null)) {
      throw new ManifestException(
          "spec.inference.topK is required for, and only allowed with, strategy topk");
    }
    if (topk && (inference.getTopK() < 1 || inference.getTopK() > experts)) {
      throw new ManifestException(
          "spec.inference.topK must be 1 to spec.partitioning.experts (" + experts + ")");
    }
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new ManifestException(field + " is required");
    }
    return value;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
