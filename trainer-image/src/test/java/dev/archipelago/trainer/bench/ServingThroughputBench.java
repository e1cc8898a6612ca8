package dev.archipelago.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.job.StopSignal;
import dev.archipelago.trainer.job.TaskRunner;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.serve.BatchPolicy;
import dev.archipelago.trainer.serve.RequestLimits;
import dev.archipelago.trainer.serve.ServeOptions;
import dev.archipelago.trainer.serve.ServeRole;
import dev.archipelago.trainer.serve.Serving;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.train.ComputePrecision;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Throughput and latency of {@code archipelago serve} under concurrent load
 * (bench/run-serving-load-bench.sh). It trains a 4-expert run for real (shapes, partition by
 * k-means, tiny experts, a smaller router), so that the router spreads images over the experts as a
 * trained one does, then serves it four ways in this JVM over loopback HTTP: colocated with
 * batching across requests, colocated one generation at a time (the server before batching), the
 * same batched server asked for one expert alone (a monolith's cost at the experts' size), and
 * distributed (a router process and one expert process each, batched). Each level of concurrency
 * sends the same requests (count images, distinct seeds, top-1, Euler) to every variant; rounds
 * alternate the order of the variants.
 *
 * <p>Arguments: experts imageSize expertSteps routerSteps samplingSteps requests count rounds.
 */
public final class ServingThroughputBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] CONCURRENCY = {1, 4, 16};

  public static void main(String[] args) throws Exception {
    int k = Integer.parseInt(arg(args, 0, "4"));
    int size = Integer.parseInt(arg(args, 1, "16"));
    long expertSteps = Long.parseLong(arg(args, 2, "150"));
    long routerSteps = Long.parseLong(arg(args, 3, "200"));
    int steps = Integer.parseInt(arg(args, 4, "10"));
    int requests = Integer.parseInt(arg(args, 5, "32"));
    int count = Integer.parseInt(arg(args, 6, "1"));
    int rounds = Integer.parseInt(arg(args, 7, "2"));
    System.out.printf(
        "serving load bench: %d tiny experts (depth 4, width 128), router depth 2 width 64,"
            + " %dx%d shapes; %d expert / %d router training steps; requests of %d image(s),"
            + " %d Euler steps, top-1; %d requests per level; %d rounds%n",
        k, size, size, expertSteps, routerSteps, count, steps, requests, rounds);
    Path scratch = Files.createTempDirectory("serving-bench");
    try (EmbeddedS3 s3 = new EmbeddedS3();
        S3Buckets buckets = new S3Buckets(s3.settings())) {
      s3.createBucket(TestRun.BUCKET);
      RunConfig config =
          TestRun.small()
              .uid("serving-bench")
              .dataset("synthetic://shapes?samples=" + 512 * k + "&shardSize=256&seed=7", size)
              .experts(k, 8 * k)
              .tinyPreset()
              .routerLayout(2, 64, 2)
              .training(expertSteps, 32, 3e-3, 0.99)
              .checkpoints(expertSteps, 1)
              .router(routerSteps, 64)
              .config(s3);
      long trainStart = System.nanoTime();
      train(config, k, buckets, scratch);
      System.out.printf("trained in %.0f s%n", (System.nanoTime() - trainStart) / 1e9);

      List<Serving> servings = new ArrayList<>();
      try {
        Serving batched = serve(config, buckets, scratch, colocated(true), servings);
        Serving unbatched = serve(config, buckets, scratch, colocated(false), servings);
        List<URI> urls = new ArrayList<>();
        for (int e = 0; e < k; e++) {
          Serving expert = serve(config, buckets, scratch, expert(e), servings);
          urls.add(URI.create("http://127.0.0.1:" + expert.port()));
        }
        Serving router = serve(config, buckets, scratch, router(urls), servings);

        printSpread(batched.port(), k, steps);
        Map<String, Variant> variants = new LinkedHashMap<>();
        IntFunction<String> top1 = seed -> body(seed, count, steps, "\"strategy\": \"top1\"");
        variants.put("unbatched", new Variant(unbatched.port(), top1));
        variants.put("batched", new Variant(batched.port(), top1));
        variants.put(
            "batched_single",
            new Variant(batched.port(), s -> body(s, count, steps, "\"expert\": 0")));
        variants.put("distributed", new Variant(router.port(), top1));
        run(variants, requests, count, rounds);
      } finally {
        servings.forEach(Serving::close);
      }
    }
  }

  private record Variant(int port, IntFunction<String> body) {}

  private record Result(double imagesPerSecond, double p50, double p95) {}

  private static void run(Map<String, Variant> variants, int requests, int count, int rounds)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    for (Variant v : variants.values()) {
      load(client, v, 4, 8, count, 0);
    }
    Map<String, List<Result>> results = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(variants.keySet());
    for (int r = 0; r < rounds; r++) {
      for (int c : CONCURRENCY) {
        for (String name : order) {
          Result result = load(client, variants.get(name), c, requests, count, 1_000_000 * r);
          results.computeIfAbsent(name + "@" + c, x -> new ArrayList<>()).add(result);
        }
      }
      Collections.reverse(order);
    }
    System.out.printf(
        "%-16s %5s %14s %10s %10s   %s%n",
        "variant", "conc", "images/s", "p50 ms", "p95 ms", "images/s of each round");
    for (int c : CONCURRENCY) {
      for (String name : variants.keySet()) {
        List<Result> rs = results.get(name + "@" + c);
        System.out.printf(
            "%-16s %5d %14.2f %10.0f %10.0f   %s%n",
            name,
            c,
            median(rs.stream().mapToDouble(Result::imagesPerSecond).toArray()),
            median(rs.stream().mapToDouble(Result::p50).toArray()),
            median(rs.stream().mapToDouble(Result::p95).toArray()),
            rs.stream().map(x -> String.format("%.2f", x.imagesPerSecond())).toList());
      }
    }
    for (int c : CONCURRENCY) {
      double batched = throughput(results, "batched", c);
      System.out.printf(
          "concurrency %2d: batched / unbatched throughput %.2f; top-1 / single cost %.3f;"
              + " distributed / colocated cost %.3f%n",
          c,
          batched / throughput(results, "unbatched", c),
          throughput(results, "batched_single", c) / batched,
          batched / throughput(results, "distributed", c));
    }
  }

  private static double throughput(Map<String, List<Result>> results, String name, int c) {
    return median(
        results.get(name + "@" + c).stream().mapToDouble(Result::imagesPerSecond).toArray());
  }

  /** {@code requests} requests from {@code concurrency} clients; seeds from {@code seedBase}. */
  private static Result load(
      HttpClient client, Variant variant, int concurrency, int requests, int count, int seedBase)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    List<Future<Double>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      String body = variant.body().apply(seedBase + i);
      sent.add(
          clients.submit(
              () -> {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> response =
                    client.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + variant.port() + "/v1/generate"))
                            .timeout(Duration.ofMinutes(10))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                  throw new IllegalStateException(
                      "HTTP " + response.statusCode() + ": " + new String(response.body()));
                }
                return (System.nanoTime() - t0) / 1e6;
              }));
    }
    double[] latencies = new double[requests];
    for (int i = 0; i < requests; i++) {
      latencies[i] = sent.get(i).get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    clients.shutdown();
    java.util.Arrays.sort(latencies);
    return new Result(
        requests * count / seconds,
        latencies[(int) Math.floor(0.5 * (requests - 1))],
        latencies[(int) Math.ceil(0.95 * (requests - 1))]);
  }

  /** How the trained router spreads top-1 images over the experts, from one traced request. */
  private static void printSpread(int port, int k, int steps) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/generate"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"count\": 32, \"seed\": 99, \"steps\": "
                                + steps
                                + ", \"trace\": true, \"format\": \"json\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    JsonNode trace = JSON.readTree(response.body()).get("trace");
    long[] perExpert = new long[k];
    long total = 0;
    for (JsonNode evaluation : trace) {
      for (JsonNode e : evaluation.get("experts")) {
        perExpert[e.asInt()]++;
        total++;
      }
    }
    StringBuilder shares = new StringBuilder();
    for (int e = 0; e < k; e++) {
      shares.append(String.format(" %.2f", perExpert[e] / (double) total));
    }
    System.out.printf(
        "trained router, top-1, 32 images x %d steps: share of images per expert:%s%n",
        steps, shares);
  }

  private static void train(RunConfig config, int k, S3Buckets buckets, Path scratch)
      throws Exception {
    List<Task> tasks = new ArrayList<>(List.of(Task.of(Role.PARTITION, 1)));
    for (int e = 0; e < k; e++) {
      tasks.add(Task.expert(e, 1));
    }
    tasks.add(Task.of(Role.ROUTER, 1));
    for (Task task : tasks) {
      int code = TaskRunner.run(TestRun.context(config, task, buckets, scratch, StopSignal.NEVER));
      if (code != ExitCodes.OK) {
        throw new IllegalStateException(task + " exited " + code);
      }
    }
  }

  private static Serving serve(
      RunConfig config, S3Buckets buckets, Path scratch, ServeOptions options, List<Serving> all)
      throws Exception {
    Serving serving = Serving.start(config, options, buckets::forBucket, scratch);
    all.add(serving);
    return serving;
  }

  private static ServeOptions colocated(boolean batching) {
    return options(ServeRole.COLOCATED, null, List.of(), batching);
  }

  private static ServeOptions expert(int k) {
    return options(ServeRole.EXPERT, k, List.of(), true);
  }

  private static ServeOptions router(List<URI> urls) {
    return options(ServeRole.ROUTER, null, urls, true);
  }

  private static ServeOptions options(
      ServeRole role, Integer expert, List<URI> urls, boolean batching) {
    return new ServeOptions(
        role,
        expert,
        urls,
        new InetSocketAddress("127.0.0.1", 0),
        null,
        RequestLimits.ofCount(64),
        64,
        batching
            ? Optional.of(new BatchPolicy(32, Duration.ofMillis(2), BatchPolicy.CALIBRATE))
            : Optional.empty(),
        ComputePrecision.FP32,
        Map.of(),
        null,
        Duration.ofMinutes(5));
  }

  private static String body(int seed, int count, int steps, String routing) {
    return String.format(
        "{\"seed\": %d, \"count\": %d, \"steps\": %d, %s}", seed, count, steps, routing);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String arg(String[] args, int i, String fallback) {
    return args.length > i ? args[i] : fallback;
  }
}
