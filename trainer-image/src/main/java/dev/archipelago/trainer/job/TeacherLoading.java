package dev.archipelago.trainer.job;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.DjlRouter;
import dev.archipelago.trainer.serve.EnsembleTeacher;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.ModelLoader;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the distillation teacher: every expert's and the router's EMA weights, as serving loads
 * them, once each has finished training. A student taught by half-trained experts would be wrong
 * without a sign of it, so an unfinished trainer is a failure (the operator retries; it only starts
 * distillation after all of them anyway).
 */
final class TeacherLoading {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherLoading.class);

  private TeacherLoading() {}

  static EnsembleTeacher load(JobContext context, NDManager manager, long seed) throws IOException {
    RunConfig config = context.config();
    StorageLayout layout = config.layout();
    ObjectStore store = context.runStore();
    for (int k = 0; k < config.experts(); k++) {
      requireCompleted(store, layout.expertProgress(k), "expert " + k);
    }
    requireCompleted(store, layout.routerProgress(), "the router");
    ModelLoader loader = new ModelLoader(config, store, context.scratch(), manager);
    List<DjlExpert> experts = new ArrayList<>();
    List<Long> steps = new ArrayList<>();
    for (int k = 0; k < config.experts(); k++) {
      ModelLoader.Loaded<DjlExpert> expert = loader.expert(k, null);
      experts.add(expert.model());
      steps.add(expert.step());
    }
    ModelLoader.Loaded<DjlRouter> router = loader.router(null);
    LOG.info(
        "teacher: experts at steps {}, router at step {}, combined by {}",
        steps,
        router.step(),
        DistillationSettings.teacherRouting(config));
    DitConfig expert = ModelConfigs.expert(config);
    return new EnsembleTeacher(
        router.model(),
        experts,
        DistillationSettings.teacherRouting(config),
        new ImageShape(expert.inChannels(), expert.imageSize()),
        seed);
  }

  private static void requireCompleted(ObjectStore store, String key, String who)
      throws IOException {
    ProgressPhase phase =
        store
            .read(key)
            .map(b -> ContractJson.read(b, Progress.class).phase())
            .orElseThrow(() -> new IOException(who + " has not trained yet: no " + key));
    if (phase != ProgressPhase.Completed) {
      throw new IOException(
          who + " has not finished training (" + phase + "): the student needs the whole teacher");
    }
  }
}
