package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that disconnects mid-generation stops its work: the expert lets one evaluation through
 * per permit the test hands out, so without cancellation all {@value #STEPS} evaluations would run.
 */
class ClientDisconnectTest {
  private static final int STEPS = 50;

  @Test
  void aDisconnectedClientsGenerationStopsAndFreesItsPermit() throws Exception {
    AtomicInteger evaluations = new AtomicInteger();
    Semaphore permits = new Semaphore(0);
    VelocityModel gated =
        query -> {
          evaluations.incrementAndGet();
          try {
            if (!permits.tryAcquire(1, TimeUnit.MINUTES)) {
              throw new IllegalStateException("the test never released the evaluation");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new float[query.x().length];
        };
    ServingMetrics metrics = new ServingMetrics();
    try (InferenceServer server =
        new InferenceServer(new InetSocketAddress("127.0.0.1", 0), metrics, 1024)) {
      server.ready(FakeModels.twoExperts("gated", gated, metrics));

      try (Socket client = new Socket("127.0.0.1", server.port())) {
        send(client, "{\"steps\": " + STEPS + ", \"sampler\": \"euler\"}");
        await("the first evaluation")
            .atMost(Duration.ofMinutes(1))
            .until(() -> evaluations.get() == 1);
      }
      // Hand out one evaluation at a time until the server has noticed the disconnect.
      await("the generation cancelled")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (permits.availablePermits() == 0) {
                  permits.release();
                }
                return scrape(server).contains("archipelago_requests_cancelled_total 1.0");
              });
      assertThat(evaluations.get()).as("evaluations run for a gone client").isLessThan(STEPS);
      await("the permit returned")
          .atMost(Duration.ofMinutes(1))
          .until(() -> scrape(server).contains("archipelago_generations_admitted 0.0"));

      permits.release(STEPS * 2);
      assertThat(HttpClients.post(server.port(), "/v1/generate", "{\"steps\": 2}").statusCode())
          .as("the server serves the next client")
          .isEqualTo(200);
    }
  }

  private static void send(Socket client, String json) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /v1/generate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static String scrape(InferenceServer server) throws Exception {
    return HttpClients.get(server.port(), "/metrics").body();
  }
}
