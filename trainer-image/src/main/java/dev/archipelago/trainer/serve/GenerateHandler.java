package dev.archipelago.trainer.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * {@code POST /v1/generate}: a PNG grid, or JSON with one base64 PNG per image (and the routing
 * trace on request). The seed used is always returned, in the {@code X-Archipelago-Seed} header.
 */
final class GenerateHandler implements Endpoint {
  static final String SEED_HEADER = "X-Archipelago-Seed";
  private static final String RETRY_AFTER_SECONDS = "1";

  private final Supplier<ServingState> state;
  private final ModelThread modelThread;
  private final ServingMetrics metrics;
  private final Semaphore admitted;

  /**
   * @param admitted one permit per generation admitted at once (running or waiting)
   */
  GenerateHandler(
      Supplier<ServingState> state,
      ModelThread modelThread,
      ServingMetrics metrics,
      Semaphore admitted) {
    this.admitted = admitted;
    this.state = state;
    this.modelThread = modelThread;
    this.metrics = metrics;
  }

  @Override
  public HttpAnswer answer(HttpCall call) {
    ServingState serving = state.get();
    if (serving.generator() == null) {
      return HttpAnswer.error(404, "/v1/generate is not served by the expert role", null);
    }
    GenerateRequest request = serving.parser().parse(call.body());
    if (!admitted.tryAcquire()) {
      metrics.refused("queue_full");
      return HttpAnswer.error(
              429, "the server is busy: too many generations queued; retry later", null)
          .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    long start = System.nanoTime();
    Deadline deadline = Deadline.after(request.timeout(), call.cancellation());
    Generation generation;
    try {
      if (serving.scheduler().isPresent()) {
        try (ModelScheduler.Session session = serving.scheduler().get().session()) {
          generation = serving.generator().generate(request, deadline);
        }
      } else {
        generation = modelThread.run(() -> serving.generator().generate(request, deadline));
      }
    } catch (Deadline.DeadlineExceededException e) {
      metrics.timedOut();
      throw e;
    } catch (Deadline.ClientGoneException e) {
      metrics.cancelled();
      throw e;
    } finally {
      admitted.release();
    }
    metrics.generated(
        strategyTag(request),
        request.sampler().name().toLowerCase(Locale.ROOT),
        request.count(),
        Duration.ofNanos(System.nanoTime() - start));
    HttpAnswer answer =
        request.format() == OutputFormat.PNG
            ? HttpAnswer.bytes(200, "image/png", PngImages.png(PngImages.grid(generation)))
            : HttpAnswer.json(200, json(generation));
    return answer.withHeader(SEED_HEADER, Long.toString(request.seed()));
  }

  private static String strategyTag(GenerateRequest request) {
    return request.expert() != null
        ? "expert"
        : request.routing().strategy().name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> json(Generation generation) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seed", generation.request().seed());
    out.put("imageSize", generation.shape().size());
    List<String> images = new ArrayList<>();
    for (int i = 0; i < generation.request().count(); i++) {
      byte[] png = PngImages.png(PngImages.image(generation.image(i), generation.shape()));
      images.add(Base64.getEncoder().encodeToString(png));
    }
    out.put("images", images);
    if (generation.trace() != null) {
      List<Map<String, Object>> trace = new ArrayList<>();
      for (RoutingTrace.Evaluation e : generation.trace().evaluations()) {
        trace.add(Map.of("t", e.t(), "experts", e.experts()));
      }
      out.put("trace", trace);
    }
    return out;
  }
}
