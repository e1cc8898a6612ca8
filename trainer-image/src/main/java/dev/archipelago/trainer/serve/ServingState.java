package dev.archipelago.trainer.serve;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HTTP endpoints serve, set once the models are loaded. Until then every model endpoint
 * answers 503 and {@code /readyz} says the models are loading; {@code /healthz} is fine throughout,
 * so a slow download never gets the pod killed.
 *
 * @param generator the ensemble (colocated and router roles), else null
 * @param expert this process's expert (expert role), else null
 * @param readiness null when ready to take traffic, else why not (router role: an expert is down)
 * @param scheduler the scheduler that batches the models across requests: then each request runs on
 *     its own handler thread, within a session of it; empty when requests take turns on one model
 *     thread
 */
public record ServingState(
    ModelFacts facts,
    Generator generator,
    RequestParser parser,
    VelocityModel expert,
    Supplier<String> readiness,
    Optional<ModelScheduler> scheduler) {

  public static ServingState ensemble(
      Generator generator,
      RequestParser parser,
      Supplier<String> readiness,
      Optional<ModelScheduler> scheduler) {
    return new ServingState(generator.facts(), generator, parser, null, readiness, scheduler);
  }

  public static ServingState expert(
      ModelFacts facts, VelocityModel expert, Optional<ModelScheduler> scheduler) {
    return new ServingState(facts, null, null, expert, () -> null, scheduler);
  }
}
