package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A bounded load test over loopback: 1,000 generate requests at concurrency 32 against a batched
 * tiny ensemble that admits 24 at once (clients retry a 429 after its Retry-After, up to 5 times),
 * one in ten malformed or over a limit, a few with a deadline too short for their steps, a few
 * whose clients hang up before the answer (their generations are cancelled). Every answer is one of
 * the designed codes (200, 400, 429, 504), each malformed request is a 400, the probe port answers
 * /readyz with 200 within the operator's 2 s timeout throughout, and the process's resident memory
 * is printed before and after.
 */
class ServingLoadIT {
  private static final int REQUESTS = 1000;
  private static final int CONCURRENCY = 32;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final int ADMITTED = 24;
  private static final int ATTEMPTS = 5;
  private static final String[] BAD = {
    "{\"count\": ",
    "{\"count\": 99}",
    "{\"count\": 4, \"steps\": 1000, \"strategy\": \"full\"}",
    "{\"colour\": \"red\"}",
    "[1, 2, 3]",
  };

  @Test
  void aThousandRequestsGetOnlyTheDesignedAnswersAndTheProbesStayFast() throws Exception {
    BatchPolicy policy = new BatchPolicy(32, Duration.ofMillis(2), BatchPolicy.CALIBRATE);
    RequestLimits limits = new RequestLimits(4, 2000, Duration.ofSeconds(60));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (TinyEnsemble served = new TinyEnsemble(4, policy, ADMITTED, limits)) {
      long rssBefore = residentKib();
      AtomicBoolean loading = new AtomicBoolean(true);
      ProbeRecord probes = new ProbeRecord();
      Thread prober = new Thread(() -> probe(client, served.probes.port(), loading, probes));
      prober.start();

      Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
      AtomicLong retried = new AtomicLong();
      List<String> badAnswers = new ArrayList<>();
      ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
      long start = System.nanoTime();
      try {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          int n = i;
          sent.add(
              clients.submit(
                  () -> {
                    if (abandoned(n)) {
                      hangUp(served.port(), body(n));
                      return null;
                    }
                    boolean bad = n % 10 == 0;
                    int status = send(client, served.port(), body(n), retried);
                    statuses.merge(status, 1, Integer::sum);
                    if (bad && status != 400) {
                      synchronized (badAnswers) {
                        badAnswers.add(body(n) + " -> " + status);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : sent) {
          f.get(10, TimeUnit.MINUTES);
        }
      } finally {
        clients.shutdownNow();
        loading.set(false);
        prober.join(10_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long rssAfter = residentKib();
      Map<Integer, Integer> sorted = new TreeMap<>(statuses);
      System.out.printf(
          "load: %d requests at concurrency %d in %.1f s; final answers %s after %d retries of a"
              + " 429; probes %d, slowest %d ms, failed %d; RSS %d MiB before, %d MiB after%n",
          REQUESTS,
          CONCURRENCY,
          seconds,
          sorted,
          retried.get(),
          probes.count.get(),
          probes.slowestMillis.get(),
          probes.failures.get(),
          rssBefore / 1024,
          rssAfter / 1024);

      assertThat(sorted.keySet()).isSubsetOf(200, 400, 429, 504);
      long hungUp = IntStream.range(0, REQUESTS).filter(ServingLoadIT::abandoned).count();
      assertThat(sorted.values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(REQUESTS - hungUp);
      double cancelled = cancelledGenerations(served.port());
      System.out.printf(
          "load: %d clients hung up, %.0f generations cancelled%n", hungUp, cancelled);
      // A hung-up request refused with 429 before its client left had nothing to cancel.
      assertThat(cancelled)
          .as("generations cancelled by a hang-up")
          .isBetween(1.0, (double) hungUp);
      assertThat(sorted.get(400)).isEqualTo(REQUESTS / 10);
      assertThat(badAnswers).isEmpty();
      assertThat(sorted.getOrDefault(200, 0))
          .as("most well-formed requests are served")
          .isPositive();
      assertThat(probes.failures.get()).as(probes.firstFailure.get()).isZero();
      assertThat(probes.count.get()).as("probes asked during the load").isGreaterThan(10);
      assertThat(probes.slowestMillis.get()).isLessThan(PROBE_TIMEOUT.toMillis());
      // Admission bounds what the server holds: no growth with the number of requests served.
      assertThat(rssAfter - rssBefore).as("RSS growth, KiB").isLessThan(512L * 1024);
    }
  }

  /** Request {@code n}: every tenth is bad, every 97th has a deadline too short for its steps. */
  private static String body(int n) {
    if (n % 10 == 0) {
      return BAD[(n / 10) % BAD.length];
    }
    if (n % 97 == 1) {
      return "{\"steps\": 500, \"timeoutSeconds\": 1}";
    }
    if (abandoned(n)) {
      return "{\"steps\": 500}";
    }
    String[] routes = {"\"strategy\": \"top1\"", "\"strategy\": \"full\"", "\"expert\": 2"};
    return String.format(
        "{\"seed\": %d, \"count\": %d, \"steps\": %d, %s, \"class\": %d, \"guidance\": 2.0}",
        n, 1 + n % 2, 2 + n % 3, routes[n % routes.length], n % TinyEnsemble.CLASSES);
  }

  /**
   * Every 97th request (offset 2, unless it is a malformed one) is long, and its client hangs up
   * 300 ms after sending it.
   */
  private static boolean abandoned(int n) {
    return n % 97 == 2 && n % 10 != 0;
  }

  private static void hangUp(int port, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/generate HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                      + bytes.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      Thread.sleep(300);
    }
  }

  private static double cancelledGenerations(int port) throws Exception {
    Matcher m =
        Pattern.compile("archipelago_requests_cancelled_total ([0-9.]+)")
            .matcher(HttpClients.get(port, "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Sends one request as a well-behaved client does: a 429 is retried after its Retry-After, up to
   * {@link #ATTEMPTS} times; the last answer counts.
   */
  private static int send(HttpClient client, int port, String body, AtomicLong retried)
      throws Exception {
    HttpResponse<byte[]> response = post(client, port, body);
    for (int attempt = 1; attempt < ATTEMPTS && response.statusCode() == 429; attempt++) {
      retried.incrementAndGet();
      long wait = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
      Thread.sleep(TimeUnit.SECONDS.toMillis(wait));
      response = post(client, port, body);
    }
    return response.statusCode();
  }

  private static HttpResponse<byte[]> post(HttpClient client, int port, String body)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/generate"))
            .timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static final class ProbeRecord {
    final AtomicLong count = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong slowestMillis = new AtomicLong();
    final AtomicReference<String> firstFailure = new AtomicReference<>("none");
  }

  /** Asks /readyz every 50 ms, as the kubelet would with a 2 s timeout, until the load ends. */
  private static void probe(HttpClient client, int port, AtomicBoolean loading, ProbeRecord out) {
    HttpRequest readyz =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(PROBE_TIMEOUT)
            .GET()
            .build();
    while (loading.get()) {
      long start = System.nanoTime();
      try {
        int status = client.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
          out.failures.incrementAndGet();
          out.firstFailure.compareAndSet("none", "HTTP " + status);
        }
      } catch (Exception e) {
        out.failures.incrementAndGet();
        out.firstFailure.compareAndSet("none", e.toString());
      }
      out.count.incrementAndGet();
      out.slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long residentKib() throws Exception {
    Matcher m =
        Pattern.compile("VmRSS:\\s+(\\d+) kB")
            .matcher(Files.readString(Path.of("/proc/self/status")));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
