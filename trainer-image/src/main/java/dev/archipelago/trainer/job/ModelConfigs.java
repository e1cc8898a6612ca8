package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.Conditioning;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.DistillationSpec;
import dev.archipelago.api.spec.ModelPreset;
import dev.archipelago.api.spec.ModelSpec;
import dev.archipelago.api.spec.RouterSpec;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;

/**
 * The DiT configurations of a run's experts, router and distilled student, from its model, router
 * and distillation specs.
 */
public final class ModelConfigs {
  /** Label dropout of class-conditional models (DiT's value), for classifier-free guidance. */
  public static final double CLASS_DROPOUT = 0.1;

  private ModelConfigs() {}

  public static DitConfig expert(RunConfig config) {
    ModelSpec model = config.model();
    int patch = expertPatch(model);
    if (model.getPreset() != null) {
      return dit(config, patch, preset(model.getPreset()));
    }
    return dit(config, patch, model.getWidth(), model.getDepth(), model.getHeads());
  }

  /**
   * The router: its preset, or its explicit layout (router.depth/width/heads), at its own patch
   * size (router.patchSize, default the experts' model.patchSize).
   */
  public static DitConfig router(RunConfig config) {
    RouterSpec router = config.router();
    int patch = router.getPatchSize() != null ? router.getPatchSize() : expertPatch(config.model());
    if (router.getDepth() != null) {
      return dit(config, patch, router.getWidth(), router.getDepth(), router.getHeads());
    }
    return dit(
        config, patch, preset(router.getPreset() == null ? ModelPreset.TINY : router.getPreset()));
  }

  /**
   * The distilled student: spec.distillation's preset or explicit layout, else the experts' DiT; at
   * the experts' patch size, so that it is sampled on the same tokens.
   */
  public static DitConfig student(RunConfig config) {
    DistillationSpec student = config.distillation();
    int patch = expertPatch(config.model());
    if (student.getDepth() != null) {
      return dit(config, patch, student.getWidth(), student.getDepth(), student.getHeads());
    }
    if (student.getPreset() != null) {
      return dit(config, patch, preset(student.getPreset()));
    }
    return expert(config);
  }

  private static int expertPatch(ModelSpec model) {
    return model.getPatchSize() == null ? DitPreset.PATCH_SIZE : model.getPatchSize();
  }

  private static DitConfig dit(RunConfig config, int patch, DitPreset preset) {
    return dit(config, patch, preset.hiddenSize(), preset.depth(), preset.heads());
  }

  /** A DiT of this layout on the run's input, conditioned as its model spec says. */
  private static DitConfig dit(RunConfig config, int patch, int width, int depth, int heads) {
    ModelSpec model = config.model();
    return new DitConfig(
        imageSize(config),
        channels(config),
        patch,
        width,
        depth,
        heads,
        DitPreset.MLP_RATIO,
        numClasses(model),
        dropout(model));
  }

  /** The side of the DiT's input: the image's, or the latent's for a latent data set. */
  private static int imageSize(RunConfig config) {
    DatasetSpec dataset = config.dataset();
    return dataset.trainsOnLatents() ? dataset.getLatents().getSize() : dataset.getImageSize();
  }

  private static int channels(RunConfig config) {
    DatasetSpec dataset = config.dataset();
    return dataset.trainsOnLatents()
        ? dataset.getLatents().getChannels()
        : ImageFormat.of(dataset).channels();
  }

  private static DitPreset preset(ModelPreset preset) {
    return DitPreset.valueOf(preset.name());
  }

  private static int numClasses(ModelSpec model) {
    return model.getConditioning() == Conditioning.CLASS ? model.getNumClasses() : 0;
  }

  private static double dropout(ModelSpec model) {
    return model.getConditioning() == Conditioning.CLASS ? CLASS_DROPOUT : 0;
  }
}
