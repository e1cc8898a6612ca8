package dev.archipelago.trainer.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The server's Prometheus metrics: generation latency by strategy and sampler, images made, images
 * routed to each expert per model evaluation, expert-role velocity latency and refused requests by
 * field.
 */
public final class ServingMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  void generated(String strategy, String sampler, int images, Duration took) {
    Timer.builder("archipelago.generate")
        .description("Time to answer /v1/generate")
        .tag("strategy", strategy)
        .tag("sampler", sampler)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
    Counter.builder("archipelago.images.generated")
        .description("Images generated")
        .register(registry)
        .increment(images);
  }

  void expertSelected(int expert, int images) {
    Counter.builder("archipelago.expert.selections")
        .description("Images routed to an expert, summed over model evaluations")
        .tag("expert", Integer.toString(expert))
        .register(registry)
        .increment(images);
  }

  void velocityServed(int images, Duration took) {
    Timer.builder("archipelago.velocity")
        .description("Time to answer /v1/velocity (expert role)")
        .register(registry)
        .record(took);
    Counter.builder("archipelago.velocity.images")
        .description("Images evaluated by /v1/velocity")
        .register(registry)
        .increment(images);
  }

  /** Publishes how many generations are admitted now (running or waiting for the model). */
  void admittedGenerations(java.util.function.IntSupplier admitted) {
    Gauge.builder("archipelago.generations.admitted", admitted::getAsInt)
        .description("Generations admitted now, running or waiting for the model thread")
        .register(registry);
  }

  /** A request turned away before any work, by reason (for example queue_full). */
  void refused(String reason) {
    Counter.builder("archipelago.requests.rejected")
        .description("Requests turned away before any work (429), by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void badRequest(String field) {
    Counter.builder("archipelago.requests.refused")
        .description("Requests refused with 400, by the field at fault")
        .tag("field", field)
        .register(registry)
        .increment();
  }

  /** A generation stopped at its deadline (504). */
  void timedOut() {
    Counter.builder("archipelago.requests.timed.out")
        .description("Generations stopped at their deadline and answered 504")
        .register(registry)
        .increment();
  }

  /** A generation stopped because its client disconnected (nobody to answer). */
  void cancelled() {
    Counter.builder("archipelago.requests.cancelled")
        .description("Generations stopped because their client disconnected before the answer")
        .register(registry)
        .increment();
  }

  /** One forward pass of the batching scheduler: real and padded rows, rows still waiting. */
  void forwardPass(String model, int rows, int paddedRows, int waitingRows) {
    DistributionSummary.builder("archipelago.batch.rows")
        .description("Images per forward pass, by model (requests batched together)")
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(1024.0)
        .register(registry)
        .record(rows);
    Counter.builder("archipelago.batch.padded.rows")
        .description("Rows added to forward passes so results do not depend on the batch's size")
        .tag("model", model)
        .register(registry)
        .increment(paddedRows - rows);
  }

  /** Publishes how many images wait for a forward pass, over all models. */
  void waitingRows(java.util.function.IntSupplier rows) {
    Gauge.builder("archipelago.batch.waiting.rows", rows::getAsInt)
        .description("Images waiting for a forward pass, over all models")
        .register(registry);
  }
}
