package dev.archipelago.trainer.serve;

import dev.archipelago.api.spec.GuidanceMode;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.latent.LatentDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs a generation: starting noise from the seed, the routed ensemble (or one expert), the ODE
 * solver. Generations may run at once when the models batch across requests ({@link
 * ModelScheduler}); otherwise the server calls it from its one model thread.
 */
public final class Generator {
  private final ExpertRouter router;
  private final List<? extends VelocityModel> experts;
  private final ModelFacts facts;
  private final ServingMetrics metrics;
  private final Optional<LatentDecoder> decoder;

  public Generator(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      ModelFacts facts,
      ServingMetrics metrics) {
    this(router, experts, facts, metrics, Optional.empty());
  }

  /**
   * @param decoder for a latent run: turns the sampled latents into images
   */
  public Generator(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      ModelFacts facts,
      ServingMetrics metrics,
      Optional<LatentDecoder> decoder) {
    this.decoder = decoder;
    this.router = router;
    this.experts = List.copyOf(experts);
    this.facts = facts;
    this.metrics = metrics;
  }

  public ModelFacts facts() {
    return facts;
  }

  public Generation generate(GenerateRequest request) {
    return generate(request, Deadline.after(request.timeout()));
  }

  /** Stops with {@link Deadline.DeadlineExceededException} at the first evaluation past it. */
  Generation generate(GenerateRequest request, Deadline deadline) {
    ImageShape shape = facts.shape();
    float[] noise = StartingNoise.draw(request.seed(), request.count(), shape);
    long[] labels = labels(request);
    RoutingTrace trace = request.trace() ? new RoutingTrace() : null;
    VelocityModel unbounded = field(request, trace);
    VelocityModel field =
        query -> {
          deadline.check();
          return unbounded.velocity(query);
        };
    float[] images =
        FlowSampler.sample(
            field, request.sampler(), shape, noise, labels, request.guidance(), request.steps());
    if (decoder.isPresent()) {
      ImageFormat pixels = decoder.get().images();
      return new Generation(
          request,
          new ImageShape(pixels.channels(), pixels.size()),
          decoder.get().decode(images, request.count()),
          trace);
    }
    return new Generation(request, shape, images, trace);
  }

  private VelocityModel field(GenerateRequest request, RoutingTrace trace) {
    if (request.expert() != null) {
      int k = request.expert();
      VelocityModel expert = experts.get(k);
      return query -> {
        metrics.expertSelected(k, query.count());
        return expert.velocity(query);
      };
    }
    VelocityModel ensemble =
        new EnsembleVelocity(
            router, experts, request.routing(), request.seed(), trace, metrics::expertSelected);
    if (request.guidanceMode() != GuidanceMode.MIXTURE || !facts.classConditional()) {
      return ensemble;
    }
    VelocityModel unconditional =
        new EnsembleVelocity(
            router, experts, request.routing(), request.seed(), null, metrics::expertSelected);
    return new MixtureGuidance(ensemble, unconditional, facts.numClasses());
  }

  /** The class per image; the null class when none is asked of a conditional model. */
  private long[] labels(GenerateRequest request) {
    if (!facts.classConditional()) {
      return null;
    }
    long[] labels = new long[request.count()];
    Arrays.fill(labels, request.classLabel() == null ? facts.numClasses() : request.classLabel());
    return labels;
  }
}
