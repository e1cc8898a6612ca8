package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server whose model thread is busy: generations beyond {@code maxQueued} are turned away with
 * 429 and Retry-After at once instead of queueing without bound, and the probe port answers while
 * every admitted generation waits (the expert is held by a latch, so the test is not a race).
 */
class BusyServerTest {
  private static final int MAX_QUEUED = 2;

  @Test
  void beyondTheQueueRequestsGet429AndTheProbesStillAnswer() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    VelocityModel held =
        query -> {
          started.countDown();
          try {
            release.await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new float[query.x().length];
        };
    ServingMetrics metrics = new ServingMetrics();
    try (InferenceServer server =
            new InferenceServer(new InetSocketAddress("127.0.0.1", 0), metrics, 1024, MAX_QUEUED);
        ProbeServer probes =
            new ProbeServer(new InetSocketAddress("127.0.0.1", 0), server::readinessProblem)) {
      server.ready(FakeModels.twoExperts("busy", held, metrics));

      List<CompletableFuture<HttpResponse<byte[]>>> admitted = new ArrayList<>();
      for (int i = 0; i < MAX_QUEUED; i++) {
        admitted.add(post(server));
        if (i == 0) {
          assertThat(started.await(1, TimeUnit.MINUTES)).as("the first generation runs").isTrue();
        }
      }
      // Both permits taken (one running, one waiting for the model thread): the rest are refused.
      HttpResponse<byte[]> refused = awaitRefusal(server);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

      assertThat(HttpClients.get(probes.port(), "/healthz").statusCode()).isEqualTo(200);
      assertThat(HttpClients.get(probes.port(), "/readyz").statusCode()).isEqualTo(200);
      assertThat(admitted).noneMatch(CompletableFuture::isDone);

      release.countDown();
      for (CompletableFuture<HttpResponse<byte[]>> request : admitted) {
        assertThat(request.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      }
      assertThat(HttpClients.get(server.port(), "/metrics").body())
          .contains("archipelago_requests_rejected_total{reason=\"queue_full\"}");
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> post(InferenceServer server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return HttpClients.post(server.port(), "/v1/generate", "{\"steps\": 1}");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Waits until every permit is held (the gauge says so), then posts once more. */
  private static HttpResponse<byte[]> awaitRefusal(InferenceServer server) throws Exception {
    String full = "archipelago_generations_admitted " + (double) MAX_QUEUED;
    await("every permit held")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> HttpClients.get(server.port(), "/metrics").body().contains(full));
    return HttpClients.post(server.port(), "/v1/generate", "{\"steps\": 1}");
  }
}
