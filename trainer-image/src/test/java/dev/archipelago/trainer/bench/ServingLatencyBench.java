package dev.archipelago.trainer.bench;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.model.RandomWeights;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.DjlRouter;
import dev.archipelago.trainer.serve.EnsembleVelocity;
import dev.archipelago.trainer.serve.ExpertRouter;
import dev.archipelago.trainer.serve.FlowSampler;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.InferenceServer;
import dev.archipelago.trainer.serve.ModelFacts;
import dev.archipelago.trainer.serve.RemoteExpert;
import dev.archipelago.trainer.serve.Routing;
import dev.archipelago.trainer.serve.ServingMetrics;
import dev.archipelago.trainer.serve.ServingState;
import dev.archipelago.trainer.serve.StartingNoise;
import dev.archipelago.trainer.serve.VelocityModel;
import dev.archipelago.trainer.serve.VelocityQuery;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Generation latency with K experts of one size and a small router (bench/run-serving-bench.sh):
 * one batch of images from a single expert alone, then the routed ensemble under top-1 (as routed,
 * and with the batch split evenly over the experts), top-2 and full, then top-1 with the experts
 * behind HTTP (the distributed topology's wire, loopback, same JVM). Rounds alternate the order;
 * medians are printed with ratios to the single expert.
 *
 * <p>Weights are the DiT initialisation plus N(0, 0.02) noise on every parameter, so routing
 * spreads images over the experts as a trained router would; timing does not depend on training.
 *
 * <p>Arguments: expertPreset routerPreset experts imageSize batch steps rounds.
 */
public final class ServingLatencyBench {
  public static void main(String[] args) throws Exception {
    DitPreset expertPreset = DitPreset.fromName(arg(args, 0, "s"));
    DitPreset routerPreset = DitPreset.fromName(arg(args, 1, "tiny"));
    int k = Integer.parseInt(arg(args, 2, "4"));
    int size = Integer.parseInt(arg(args, 3, "32"));
    int batch = Integer.parseInt(arg(args, 4, "8"));
    int steps = Integer.parseInt(arg(args, 5, "10"));
    int rounds = Integer.parseInt(arg(args, 6, "3"));
    ImageShape shape = new ImageShape(3, size);
    System.out.printf(
        "serving bench: %d x %s experts, %s router, %dx%d, batch %d, %d Euler steps, %d rounds%n",
        k, expertPreset, routerPreset, size, size, batch, steps, rounds);

    try (NDManager manager = NDManager.newBaseManager()) {
      DitConfig expertConfig = expertPreset.config(size, 3, 0, 0);
      List<DjlExpert> experts = new ArrayList<>();
      for (int e = 0; e < k; e++) {
        DjlExpert expert = new DjlExpert(expertConfig, manager);
        RandomWeights.perturb(expert.model(), 0.02f, manager);
        experts.add(expert);
      }
      DjlRouter router = new DjlRouter(routerPreset.config(size, 3, 0, 0), k, manager);
      RandomWeights.perturb(router.model(), 0.02f, manager);
      List<InferenceServer> servers = new ArrayList<>();
      List<VelocityModel> remote = new ArrayList<>();
      HttpClient client = RemoteExpert.newClient();
      for (int e = 0; e < k; e++) {
        InferenceServer server =
            new InferenceServer(
                new InetSocketAddress("127.0.0.1", 0),
                new ServingMetrics(),
                batch * shape.values());
        server.ready(
            ServingState.expert(
                new ModelFacts("bench", shape, List.of(), null, 0),
                experts.get(e),
                java.util.Optional.empty()));
        servers.add(server);
        remote.add(
            new RemoteExpert(
                e, URI.create("http://127.0.0.1:" + server.port()), client, Duration.ofMinutes(5)));
      }
      float[] noise = StartingNoise.draw(1, batch, shape);
      int[] selections = new int[k];
      Map<String, Supplier<VelocityModel>> variants = new LinkedHashMap<>();
      variants.put("single", () -> experts.get(0));
      variants.put("top1", () -> ensemble(router, experts, Routing.top1(), selections));
      variants.put(
          "top1_spread", () -> ensemble(new SpreadRouter(router), experts, Routing.top1(), null));
      variants.put(
          "top2", () -> ensemble(router, experts, new Routing(InferenceStrategy.TOPK, 2), null));
      variants.put(
          "full", () -> ensemble(router, experts, new Routing(InferenceStrategy.FULL, 1), null));
      variants.put("top1_http", () -> ensemble(router, remote, Routing.top1(), null));

      // Warm-up: every variant once.
      for (Supplier<VelocityModel> v : variants.values()) {
        FlowSampler.sample(v.get(), Sampler.EULER, shape, noise, null, 1f, 2);
      }
      Arrays.fill(selections, 0);
      Map<String, List<Double>> times = new LinkedHashMap<>();
      variants.keySet().forEach(name -> times.put(name, new ArrayList<>()));
      List<String> order = new ArrayList<>(variants.keySet());
      for (int r = 0; r < rounds; r++) {
        for (String name : order) {
          long start = System.nanoTime();
          FlowSampler.sample(
              variants.get(name).get(), Sampler.EULER, shape, noise, null, 1f, steps);
          times.get(name).add((System.nanoTime() - start) / 1e6);
        }
        java.util.Collections.reverse(order);
      }
      double single = median(times.get("single"));
      System.out.printf("%-10s %12s %10s %s%n", "variant", "median ms", "/ single", "all ms");
      for (Map.Entry<String, List<Double>> e : times.entrySet()) {
        double m = median(e.getValue());
        System.out.printf(
            "%-10s %12.0f %10.3f %s%n", e.getKey(), m, m / single, rounded(e.getValue()));
      }
      System.out.printf(
          "top1_http / top1: %.3f%n", median(times.get("top1_http")) / median(times.get("top1")));
      System.out.printf(
          "top-1 images per expert over the timed rounds: %s%n", Arrays.toString(selections));
      servers.forEach(InferenceServer::close);
    }
  }

  /**
   * The router's cost with the worst split for batching: image i goes to expert i mod K, so every
   * expert runs on a K-th of the batch at every step (a trained router spreads images like this).
   */
  private record SpreadRouter(ExpertRouter router) implements ExpertRouter {
    @Override
    public int experts() {
      return router.experts();
    }

    @Override
    public float[] probabilities(VelocityQuery query) {
      router.probabilities(query);
      int k = experts();
      float[] p = new float[query.count() * k];
      for (int i = 0; i < query.count(); i++) {
        p[i * k + i % k] = 1f;
      }
      return p;
    }
  }

  private static EnsembleVelocity ensemble(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      Routing routing,
      int[] selections) {
    return new EnsembleVelocity(
        router,
        experts,
        routing,
        0,
        null,
        (e, n) -> {
          if (selections != null) {
            selections[e] += n;
          }
        });
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String rounded(List<Double> values) {
    return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
  }

  private static String arg(String[] args, int i, String fallback) {
    return args.length > i ? args[i] : fallback;
  }
}
