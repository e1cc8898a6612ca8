package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Batching across requests changes what shares a forward pass, never a request's answer: sixteen
 * requests with different seeds, step counts, samplers, strategies and guidance, sent at once, each
 * get exactly the bytes they get when served alone, and their images did share passes.
 */
class ConcurrentGenerationsTest {
  private static final String[] ROUTES = {
    "\"strategy\": \"top1\"",
    "\"strategy\": \"topk\", \"topK\": 2",
    "\"strategy\": \"full\"",
    "\"strategy\": \"sample\"",
    "\"expert\": 1",
    "\"strategy\": \"top1\", \"class\": 2, \"guidance\": 2.5",
    "\"strategy\": \"topk\", \"topK\": 2, \"class\": 0, \"guidance\": 1.5,"
        + " \"guidanceMode\": \"perExpert\"",
    "\"strategy\": \"top1\", \"class\": 1",
  };

  static String request(int i) {
    return String.format(
        "{\"seed\": %d, \"count\": %d, \"steps\": %d, \"sampler\": \"%s\", %s}",
        1000 + i, 1 + i % 3, 3 + i % 4, i % 2 == 0 ? "euler" : "heun", ROUTES[i % ROUTES.length]);
  }

  @Test
  void sixteenConcurrentRequestsGetTheBytesTheyGetAlone() throws Exception {
    BatchPolicy policy = new BatchPolicy(32, Duration.ofMillis(2), BatchPolicy.CALIBRATE);
    try (TinyEnsemble served = new TinyEnsemble(4, policy, 16, RequestLimits.ofCount(8))) {
      List<byte[]> alone = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        alone.add(png(HttpClients.post(served.port(), "/v1/generate", request(i))));
      }
      double largestAlone = largestPass(served);

      List<CompletableFuture<byte[]>> together = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String body = request(i);
        together.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return png(HttpClients.post(served.port(), "/v1/generate", body));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (int i = 0; i < 16; i++) {
        assertThat(together.get(i).get(2, TimeUnit.MINUTES))
            .as("request %d: %s", i, request(i))
            .isEqualTo(alone.get(i));
      }
      assertThat(largestPass(served))
          .as("concurrent requests shared forward passes")
          .isGreaterThan(largestAlone);
    }
  }

  /** The same, a level down: the sampled floats themselves, before PNG's 8-bit rounding. */
  @Test
  void concurrentGenerationsGiveTheFloatsTheyGiveAlone() throws Exception {
    BatchPolicy policy = new BatchPolicy(32, Duration.ofMillis(2), BatchPolicy.CALIBRATE);
    try (TinyEnsemble served = new TinyEnsemble(4, policy, 16, RequestLimits.ofCount(8))) {
      List<GenerateRequest> requests = new ArrayList<>();
      List<float[]> alone = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        requests.add(served.parser.parse(request(i).getBytes(StandardCharsets.UTF_8)));
        alone.add(served.generator.generate(requests.get(i)).images());
      }
      List<CompletableFuture<float[]>> together = new ArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(16);
      try {
        for (GenerateRequest r : requests) {
          together.add(
              CompletableFuture.supplyAsync(() -> served.generator.generate(r).images(), threads));
        }
        for (int i = 0; i < 16; i++) {
          assertThat(together.get(i).get(2, TimeUnit.MINUTES))
              .as("request %d: %s", i, request(i))
              .containsExactly(alone.get(i));
        }
      } finally {
        threads.shutdownNow();
      }
    }
  }

  private static byte[] png(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    return response.body();
  }

  /** The most real images any forward pass of any model has taken so far. */
  static double largestPass(TinyEnsemble served) {
    return served.metrics.registry().find("archipelago.batch.rows").summaries().stream()
        .mapToDouble(s -> s.max())
        .max()
        .orElse(0);
  }
}
