package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.model.RandomWeights;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real served ensemble small enough for tests: K tiny class-conditional DiT experts and a tiny
 * router at 8×8, their initial weights perturbed so that experts differ and the router spreads
 * images over them, behind an {@link InferenceServer} and a {@link ProbeServer}, batched across
 * requests by a {@link ModelScheduler}.
 */
final class TinyEnsemble implements AutoCloseable {
  static final ImageShape SHAPE = new ImageShape(3, 8);
  static final int CLASSES = 3;

  final ServingMetrics metrics = new ServingMetrics();
  final InferenceServer server;
  final ProbeServer probes;
  final Generator generator;
  final RequestParser parser;
  private final NDManager manager = NDManager.newBaseManager();
  private final ModelScheduler scheduler = new ModelScheduler(metrics::forwardPass);

  TinyEnsemble(int experts, BatchPolicy policy, int maxQueued, RequestLimits limits)
      throws IOException {
    DitConfig config = DitPreset.TINY.config(SHAPE.size(), SHAPE.channels(), CLASSES, 0.1);
    List<DjlExpert> models = new ArrayList<>();
    List<Long> steps = new ArrayList<>();
    for (int e = 0; e < experts; e++) {
      DjlExpert expert = new DjlExpert(config, manager);
      RandomWeights.perturb(expert.model(), 0.05f, manager);
      models.add(expert);
      steps.add(1L);
    }
    DjlRouter router = new DjlRouter(config, experts, manager);
    RandomWeights.perturb(router.model(), 0.5f, manager);
    ModelBatching batching = new ModelBatching(scheduler, policy);
    ModelFacts facts = new ModelFacts("tiny", SHAPE, steps, 1L, CLASSES);
    generator =
        new Generator(
            batching.router(router, SHAPE, CLASSES),
            batching.experts(models, 0, SHAPE, CLASSES),
            facts,
            metrics);
    server =
        new InferenceServer(
            new InetSocketAddress("127.0.0.1", 0),
            metrics,
            limits.maxCount() * SHAPE.values(),
            maxQueued);
    probes = new ProbeServer(new InetSocketAddress("127.0.0.1", 0), server::readinessProblem);
    metrics.waitingRows(scheduler::waitingRows);
    parser = new RequestParser(facts, new InferenceSpec(), limits);
    server.ready(ServingState.ensemble(generator, parser, () -> null, Optional.of(scheduler)));
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    probes.close();
    server.close();
    scheduler.close();
    manager.close();
  }
}
