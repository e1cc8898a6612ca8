package dev.archipelago.trainer.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.PartitioningMethod;
import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.gmm.ExactEnsemble;
import dev.archipelago.trainer.gmm.GaussianMixture;
import dev.archipelago.trainer.gmm.GroundTruthReport;
import dev.archipelago.trainer.gmm.MixtureSampleReport;
import dev.archipelago.trainer.gmm.NoisedMixture;
import dev.archipelago.trainer.gmm.OracleSampling;
import dev.archipelago.trainer.job.SyntheticDataset;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.DjlRouter;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.ModelLoader;
import dev.archipelago.trainer.serve.Routing;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing table on a Gaussian mixture, trained for real and FLOP-matched: a K-expert DDM
 * (k-means partition) sampled top-1, top-2, full and sample; the same with a random partition (the
 * effect of clustering apart from that of ensembling); a monolith of the experts' architecture
 * trained for K × the expert steps plus the router's share (router steps × its parameters over an
 * expert's, at the same tokens); and the oracle (exact models). Every arm: the same data, batch,
 * sampler, step count and paired starting noise; metrics of {@link MixtureSampleReport}, mean ± sd
 * over seeds (each seed: another mixture, data and initialisation).
 *
 * <p>Arguments: components separation samples expertSteps seeds.
 */
public final class GmmTableBench {
  private static final int CHANNELS = 1;
  private static final int SIZE = 4;
  private static final int BATCH = 64;
  private static final int SAMPLING_STEPS = 50;
  private static final int COUNT = 2000;
  private static final ImageShape SHAPE = new ImageShape(CHANNELS, SIZE);

  private GmmTableBench() {}

  public static void main(String[] args) throws Exception {
    int k = Integer.parseInt(args[0]);
    double separation = Double.parseDouble(args[1]);
    int samples = Integer.parseInt(args[2]);
    int expertSteps = Integer.parseInt(args[3]);
    int seeds = Integer.parseInt(args[4]);
    Map<String, double[][]> rows = new LinkedHashMap<>();
    Path scratch = Files.createTempDirectory("gmm-table");
    try (EmbeddedS3 s3 = new EmbeddedS3();
        S3Buckets buckets = new S3Buckets(s3.settings())) {
      s3.createBucket(TestRun.BUCKET);
      for (int seed = 0; seed < seeds; seed++) {
        String uri =
            String.format(
                "synthetic://gmm?components=%d&separation=%s&samples=%d&shardSize=1024&seed=%d",
                k, separation, samples, 100 + seed);
        RunConfig ddm = run(uri, k, PartitioningMethod.KMEANS, expertSteps, "ddm-" + seed, s3);
        GaussianMixture mixture = SyntheticDataset.mixtureOf(ddm);
        ExactEnsemble oracle = new ExactEnsemble(new NoisedMixture(mixture), SHAPE);
        for (String strategy : List.of("full", "top-2", "top-1", "sample")) {
          add(
              rows,
              "oracle, " + strategy,
              seed,
              seeds,
              mixture,
              OracleSampling.sample(
                  oracle, routing(strategy), Sampler.EULER, SAMPLING_STEPS, COUNT, seed));
        }
        double routerShare =
            trainAndSample(rows, "DDM k-means", ddm, mixture, seed, seeds, buckets, scratch);
        RunConfig random =
            run(uri, k, PartitioningMethod.RANDOM, expertSteps, "random-" + seed, s3);
        trainAndSample(rows, "DDM random split", random, mixture, seed, seeds, buckets, scratch);
        long monolithSteps = Math.round(k * expertSteps + expertSteps * routerShare);
        RunConfig monolith =
            run(uri, 1, PartitioningMethod.KMEANS, monolithSteps, "monolith-" + seed, s3);
        TestRun.trainEveryTask(monolith, buckets, scratch);
        try (NDManager manager = NDManager.newBaseManager()) {
          DjlExpert alone = loader(monolith, buckets, scratch, manager).expert(0, null).model();
          add(
              rows,
              "monolith (" + monolithSteps + " steps)",
              seed,
              seeds,
              mixture,
              OracleSampling.sampleOne(alone, SHAPE, Sampler.EULER, SAMPLING_STEPS, COUNT, seed));
        }
        System.out.printf("seed %d done%n", seed);
      }
    }
    System.out.printf(
        "GMM table: K=%d, d=%d, separation %s, %d training samples, %d steps per expert, batch %d,"
            + " %d Euler steps, %d samples, %d seeds%n",
        k,
        CHANNELS * SIZE * SIZE,
        separation,
        samples,
        expertSteps,
        BATCH,
        SAMPLING_STEPS,
        COUNT,
        seeds);
    System.out.println(
        "| arm | weight distance | Fréchet (π-weighted) | router excess KL (grid mean) |");
    System.out.println("|---|---|---|---|");
    rows.forEach(
        (arm, v) ->
            System.out.printf(
                "| %s | %s | %s | %s |%n",
                arm,
                SeedSpread.of(v[0]),
                SeedSpread.of(v[1]),
                Double.isNaN(v[2][0]) ? "–" : SeedSpread.of(v[2])));
  }

  /** Trains a DDM run, samples each strategy; returns the router's parameters over an expert's. */
  private static double trainAndSample(
      Map<String, double[][]> rows,
      String arm,
      RunConfig config,
      GaussianMixture mixture,
      int seed,
      int seeds,
      S3Buckets buckets,
      Path scratch)
      throws Exception {
    TestRun.trainEveryTask(config, buckets, scratch);
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader loader = loader(config, buckets, scratch, manager);
      List<DjlExpert> experts = new ArrayList<>();
      for (int e = 0; e < config.experts(); e++) {
        experts.add(loader.expert(e, null).model());
      }
      DjlRouter router = loader.router(null).model();
      GroundTruthReport truth = new GroundTruthReport(mixture, SHAPE);
      double kl = Double.NaN;
      try {
        int[] match = truth.matchExperts(experts, 1000, seed);
        kl =
            truth.measure(router, experts, match, SAMPLING_STEPS / 5, 1000, seed).stream()
                .mapToDouble(GroundTruthReport.AtTime::routerExcessKl)
                .average()
                .orElse(Double.NaN);
      } catch (IllegalArgumentException e) {
        // A random split has no expert per component: no matching, no excess KL.
      }
      for (String strategy : List.of("full", "top-2", "top-1", "sample")) {
        double[][] drawn =
            OracleSampling.sample(
                router,
                experts,
                SHAPE,
                routing(strategy),
                Sampler.EULER,
                SAMPLING_STEPS,
                COUNT,
                seed);
        double[][] row = add(rows, arm + ", " + strategy, seed, seeds, mixture, drawn);
        row[2][seed] = arm.contains("random") ? Double.NaN : kl;
      }
      return parameters(router.model()) / (double) parameters(experts.get(0).model());
    }
  }

  private static RunConfig run(
      String uri, int experts, PartitioningMethod method, long steps, String uid, EmbeddedS3 s3) {
    return TestRun.small()
        .uid(uid)
        .dataset(uri, 8)
        .latents(CHANNELS, SIZE)
        .experts(experts, 32)
        .partitionMethod(method)
        .modelLayout(2, 64, 4)
        .training(steps, BATCH, 2e-3, 0.999)
        .checkpoints(Math.max(1, steps / 2), 1)
        .routerLayout(1, 32, 2)
        .router(steps, BATCH)
        .config(s3);
  }

  private static ModelLoader loader(
      RunConfig config, S3Buckets buckets, Path scratch, NDManager manager) {
    return new ModelLoader(config, buckets.forBucket(TestRun.BUCKET), scratch, manager);
  }

  private static Routing routing(String strategy) {
    return switch (strategy) {
      case "full" -> new Routing(InferenceStrategy.FULL, 0);
      case "top-2" -> new Routing(InferenceStrategy.TOPK, 2);
      case "top-1" -> Routing.top1();
      default -> new Routing(InferenceStrategy.SAMPLE, 0);
    };
  }

  private static double[][] add(
      Map<String, double[][]> rows,
      String arm,
      int seed,
      int seeds,
      GaussianMixture mixture,
      double[][] samples) {
    double[][] row = rows.computeIfAbsent(arm, a -> new double[3][seeds]);
    MixtureSampleReport report = MixtureSampleReport.of(mixture, samples);
    row[0][seed] = report.weightDistance();
    row[1][seed] = report.weightedFrechet(mixture.weights());
    row[2][seed] = Double.NaN;
    return row;
  }

  private static long parameters(Block block) {
    long total = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      total += p.getValue().getArray().size();
    }
    return total;
  }
}
