package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.job.ModelConfigs;
import dev.archipelago.trainer.job.ModelFiles;
import dev.archipelago.trainer.latent.LatentDecoder;
import dev.archipelago.trainer.latent.LatentShape;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStores;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@code archipelago serve} in one of its roles: the HTTP server first (so liveness holds
 * while weights download), then the models, then traffic.
 */
public final class Serving implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Serving.class);
  private static final Duration PROBE_PERIOD = Duration.ofSeconds(2);

  private final InferenceServer server;
  private final NDManager manager;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private int probePort = -1;

  private Serving(InferenceServer server, NDManager manager) {
    this.server = server;
    this.manager = manager;
  }

  /** Serves {@code config}'s models as {@code options} say; returns once they are loaded. */
  public static Serving start(
      RunConfig config, ServeOptions options, ObjectStores stores, Path scratch)
      throws IOException {
    ObjectStore store = stores.forBucket(config.storage().bucket());
    DitConfig expertConfig = ModelConfigs.expert(config);
    ImageShape shape = new ImageShape(expertConfig.inChannels(), expertConfig.imageSize());
    ServingMetrics metrics = new ServingMetrics();
    InferenceServer server =
        new InferenceServer(
            options.address(),
            metrics,
            options.limits().maxCount() * shape.values(),
            options.maxQueued());
    Serving serving = new Serving(server, NDManager.newBaseManager());
    if (options.probeAddress() != null) {
      try {
        ProbeServer probes = new ProbeServer(options.probeAddress(), server::readinessProblem);
        serving.resources.add(probes);
        serving.probePort = probes.port();
      } catch (IOException e) {
        serving.close();
        throw e;
      }
    }
    LOG.info(
        "serving {} as {} on port {}, experts in {} on {}",
        config.runName(),
        options.role(),
        server.port(),
        options.precision().name().toLowerCase(java.util.Locale.ROOT),
        serving.manager.getDevice());
    try {
      ModelLoader loader =
          new ModelLoader(config, store, scratch, serving.manager, options.precision());
      Optional<LatentDecoder> decoder = serving.decoder(config, options, stores, scratch);
      server.ready(serving.load(config, options, loader, shape, expertConfig, metrics, decoder));
      LOG.info("models loaded; taking traffic");
      return serving;
    } catch (IOException | RuntimeException e) {
      serving.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  /** The port of the probe server, or -1 without one. */
  public int probePort() {
    return probePort;
  }

  private ServingState load(
      RunConfig config,
      ServeOptions options,
      ModelLoader loader,
      ImageShape shape,
      DitConfig expertConfig,
      ServingMetrics metrics,
      Optional<LatentDecoder> decoder)
      throws IOException {
    int k = config.experts();
    int classes = expertConfig.numClasses();
    ModelBatching batching = batching(options, metrics);
    if (config.inference() != null && config.inference().servesStudent()) {
      return student(config, options, loader, shape, metrics, decoder, batching);
    }
    switch (options.role()) {
      case EXPERT -> {
        int expert = options.expert();
        ModelLoader.Loaded<DjlExpert> loaded =
            loader.expert(expert, options.pinnedExpertSteps().get(expert));
        List<Long> steps = new ArrayList<>(Collections.nCopies(k, (Long) null));
        steps.set(expert, loaded.step());
        ModelFacts facts = new ModelFacts(config.runName(), shape, steps, null, classes);
        if (batching == null) {
          return ServingState.expert(facts, loaded.model(), Optional.empty());
        }
        return ServingState.expert(
            facts,
            batching.experts(List.of(loaded.model()), expert, shape, classes).get(0),
            Optional.of(batching.scheduler()));
      }
      case ROUTER -> {
        if (options.expertUrls().size() != k) {
          throw new IllegalArgumentException(
              "--expert-urls lists " + options.expertUrls().size() + " experts; the run has " + k);
        }
        HttpClient client = RemoteExpert.newClient();
        List<RemoteExpert> experts = new ArrayList<>();
        for (int e = 0; e < k; e++) {
          experts.add(
              new RemoteExpert(e, options.expertUrls().get(e), client, options.expertTimeout()));
        }
        LoadedRouter router = router(loader, k, options);
        ExpertRouter served =
            batching == null ? router.model() : batching.router(router.model(), shape, classes);
        ExpertProbe probe = new ExpertProbe(experts, PROBE_PERIOD);
        resources.add(probe);
        ModelFacts facts =
            new ModelFacts(
                config.runName(),
                shape,
                Collections.nCopies(k, (Long) null),
                router.step(),
                classes);
        return ensemble(
            config.inference(), options, facts, served, experts, metrics, probe, decoder, batching);
      }
      default -> {
        List<DjlExpert> experts = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        for (int e = 0; e < k; e++) {
          ModelLoader.Loaded<DjlExpert> loaded =
              loader.expert(e, options.pinnedExpertSteps().get(e));
          experts.add(loaded.model());
          steps.add(loaded.step());
        }
        LoadedRouter router = router(loader, k, options);
        ModelFacts facts = new ModelFacts(config.runName(), shape, steps, router.step(), classes);
        if (batching == null) {
          return ensemble(
              config.inference(),
              options,
              facts,
              router.model(),
              experts,
              metrics,
              () -> null,
              decoder,
              null);
        }
        return ensemble(
            config.inference(),
            options,
            facts,
            batching.router(router.model(), shape, classes),
            batching.experts(experts, 0, shape, classes),
            metrics,
            () -> null,
            decoder,
            batching);
      }
    }
  }

  /**
   * The distilled student alone, in the one role that answers generate requests: it is one model,
   * so there is no router to ask and nothing to distribute.
   */
  private ServingState student(
      RunConfig config,
      ServeOptions options,
      ModelLoader loader,
      ImageShape shape,
      ServingMetrics metrics,
      Optional<LatentDecoder> decoder,
      ModelBatching batching)
      throws IOException {
    if (options.role() != ServeRole.COLOCATED) {
      throw new IllegalArgumentException(
          "the student (inference.model student) is served whole: --role "
              + options.role().name().toLowerCase(java.util.Locale.ROOT)
              + " is for an ensemble");
    }
    ModelLoader.Loaded<DjlExpert> student = loader.student(null);
    int classes = ModelConfigs.student(config).numClasses();
    ModelFacts facts =
        new ModelFacts(config.runName(), shape, List.of(student.step()), null, classes);
    List<? extends VelocityModel> models =
        batching == null
            ? List.of(student.model())
            : batching.experts(List.of(student.model()), 0, shape, classes);
    // A one-model server has one way to combine: the ensemble's strategy does not apply to it.
    InferenceSpec defaults =
        ContractJson.read(ContractJson.write(config.inference()), InferenceSpec.class);
    defaults.setStrategy(InferenceStrategy.TOP1);
    defaults.setTopK(null);
    return ensemble(
        defaults, options, facts, new SoleExpert(), models, metrics, () -> null, decoder, batching);
  }

  /**
   * The scheduler that batches this process's models across requests, or null when {@code
   * --batching off} asks for one generation at a time.
   */
  private ModelBatching batching(ServeOptions options, ServingMetrics metrics) {
    if (options.batching().isEmpty()) {
      return null;
    }
    ModelScheduler scheduler = new ModelScheduler(metrics::forwardPass);
    resources.add(0, scheduler);
    metrics.waitingRows(scheduler::waitingRows);
    return new ModelBatching(scheduler, options.batching().get());
  }

  /** A router and its checkpoint step (null when nothing was trained). */
  private record LoadedRouter(ExpertRouter model, Long step) {}

  /** The trained router, or for a one-expert monolith the router that always picks it. */
  private static LoadedRouter router(ModelLoader loader, int experts, ServeOptions options)
      throws IOException {
    if (experts == 1) {
      return new LoadedRouter(new SoleExpert(), null);
    }
    ModelLoader.Loaded<DjlRouter> trained = loader.router(options.pinnedRouterStep());
    return new LoadedRouter(trained.model(), trained.step());
  }

  private static ServingState ensemble(
      InferenceSpec inference,
      ServeOptions options,
      ModelFacts facts,
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      ServingMetrics metrics,
      java.util.function.Supplier<String> readiness,
      Optional<LatentDecoder> decoder,
      ModelBatching batching) {
    Generator generator = new Generator(router, experts, facts, metrics, decoder);
    InferenceSpec defaults = inference == null ? new InferenceSpec() : inference;
    RequestParser parser = new RequestParser(facts, defaults, options.limits());
    return ServingState.ensemble(
        generator, parser, readiness, Optional.ofNullable(batching).map(ModelBatching::scheduler));
  }

  /**
   * The VAE decoder of a latent run, for the roles that answer generate requests (an expert only
   * returns velocities in latent space).
   */
  private Optional<LatentDecoder> decoder(
      RunConfig config, ServeOptions options, ObjectStores stores, Path scratch)
      throws IOException {
    DatasetSpec dataset = config.dataset();
    if (!dataset.trainsOnLatents() || options.role() == ServeRole.EXPERT) {
      return Optional.empty();
    }
    String uri = config.inference() == null ? null : config.inference().getDecoderUri();
    ModelFiles.validate(uri, "inference.decoderUri (a latent run decodes its samples)");
    LatentDecoder decoder =
        new LatentDecoder(
            ModelFiles.fetch(stores, uri, scratch, "vae-decoder-"),
            uri,
            LatentShape.of(dataset.getLatents()),
            ImageFormat.of(dataset));
    resources.add(decoder);
    LOG.info("decoding latents with {}", uri);
    return Optional.of(decoder);
  }

  @Override
  public void close() {
    server.close();
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", resource, e.toString());
      }
    }
    manager.close();
  }
}
