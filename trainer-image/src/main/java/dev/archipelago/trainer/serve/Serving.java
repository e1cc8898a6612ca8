package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.trainer.job.ModelConfigs;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  private Serving(InferenceServer server, NDManager manager) {
    this.server = server;
    this.manager = manager;
  }

  /** Serves {@code config}'s models as {@code options} say; returns once they are loaded. */
  public static Serving start(
      RunConfig config, ServeOptions options, ObjectStore store, Path scratch) throws IOException {
    DitConfig expertConfig = ModelConfigs.expert(config);
    ImageShape shape = new ImageShape(expertConfig.inChannels(), expertConfig.imageSize());
    ServingMetrics metrics = new ServingMetrics();
    InferenceServer server =
        new InferenceServer(options.address(), metrics, options.maxCount() * shape.values());
    Serving serving = new Serving(server, NDManager.newBaseManager());
    LOG.info("serving {} as {} on port {}", config.runName(), options.role(), server.port());
    try {
      ModelLoader loader = new ModelLoader(config, store, scratch, serving.manager);
      server.ready(serving.load(config, options, loader, shape, expertConfig, metrics));
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

  private ServingState load(
      RunConfig config,
      ServeOptions options,
      ModelLoader loader,
      ImageShape shape,
      DitConfig expertConfig,
      ServingMetrics metrics)
      throws IOException {
    int k = config.experts();
    int classes = expertConfig.numClasses();
    switch (options.role()) {
      case EXPERT -> {
        int expert = options.expert();
        ModelLoader.Loaded<DjlExpert> loaded =
            loader.expert(expert, options.pinnedExpertSteps().get(expert));
        List<Long> steps = new ArrayList<>(Collections.nCopies(k, (Long) null));
        steps.set(expert, loaded.step());
        return ServingState.expert(
            new ModelFacts(config.runName(), shape, steps, null, classes), loaded.model());
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
        ModelLoader.Loaded<DjlRouter> router = loader.router(options.pinnedRouterStep());
        ExpertProbe probe = new ExpertProbe(experts, PROBE_PERIOD);
        resources.add(probe);
        ModelFacts facts =
            new ModelFacts(
                config.runName(),
                shape,
                Collections.nCopies(k, (Long) null),
                router.step(),
                classes);
        return ensemble(config, options, facts, router.model(), experts, metrics, probe);
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
        ModelLoader.Loaded<DjlRouter> router = loader.router(options.pinnedRouterStep());
        ModelFacts facts = new ModelFacts(config.runName(), shape, steps, router.step(), classes);
        return ensemble(config, options, facts, router.model(), experts, metrics, () -> null);
      }
    }
  }

  private static ServingState ensemble(
      RunConfig config,
      ServeOptions options,
      ModelFacts facts,
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      ServingMetrics metrics,
      java.util.function.Supplier<String> readiness) {
    Generator generator = new Generator(router, experts, facts, metrics);
    InferenceSpec defaults = config.inference() == null ? new InferenceSpec() : config.inference();
    RequestParser parser = new RequestParser(facts, defaults, options.maxCount());
    return ServingState.ensemble(generator, parser, readiness);
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
