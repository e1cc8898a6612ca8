package dev.archipelago.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.PartitioningMethod;
import dev.archipelago.trainer.cli.CliRun;
import dev.archipelago.trainer.job.ModelConfigs;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.model.DitFlops;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing table on shapes, trained for real and FLOP-matched, every arm measured by {@code
 * archipelago evaluate} (the same command, classifier, sample count, sampler, steps and paired
 * noise): a K-expert DDM on a k-means partition sampled top-1, top-2, full and sample; one expert
 * alone (the paper's "sample one expert" control); the same DDM on a random partition (clustering's
 * effect apart from ensembling's); and a monolith of the experts' architecture trained for K × the
 * expert steps plus the router's share of training FLOPs, with its EMA horizon the same fraction of
 * its training as the experts'. Mean ± sd over seeds; each seed draws another data set and
 * initialisation.
 *
 * <p>Arguments: classifierDir samples expertSteps learningRate seeds count.
 */
public final class ShapesTableBench {
  private static final int K = 4;
  private static final int SIZE = 16;
  private static final int BATCH = 32;
  private static final int SAMPLING_STEPS = 25;
  private static final double EXPERT_EMA = 0.99;
  private static final String[] METRICS = {
    "/measured/generated/frechet/value",
    "/measured/generated/kernel/value",
    "/measured/generated/factors/coverage",
    "/measured/generated/memorisation/copyRate",
    "/cost/gflopsPerStep",
    "/secondsPerImage"
  };

  private ShapesTableBench() {}

  public static void main(String[] args) throws Exception {
    Path classifier = Path.of(args[0]);
    int samples = Integer.parseInt(args[1]);
    int expertSteps = Integer.parseInt(args[2]);
    double learningRate = Double.parseDouble(args[3]);
    int seeds = Integer.parseInt(args[4]);
    int count = Integer.parseInt(args[5]);
    Map<String, double[][]> rows = new LinkedHashMap<>();
    Path scratch = Files.createTempDirectory("shapes-table");
    try (EmbeddedS3 s3 = new EmbeddedS3();
        S3Buckets buckets = new S3Buckets(s3.settings())) {
      s3.createBucket(TestRun.BUCKET);
      Map<String, String> env = new HashMap<>(s3.credentials());
      env.put(PodEnv.SCRATCH_DIR, scratch.toString());
      for (int seed = 0; seed < seeds; seed++) {
        String uri =
            String.format(
                "synthetic://shapes?samples=%d&shardSize=2000&seed=%d", samples, 100 + seed);
        RunConfig ddm =
            run(uri, K, PartitioningMethod.KMEANS, expertSteps, learningRate, EXPERT_EMA, seed, s3);
        TestRun.trainEveryTask(ddm, buckets, scratch);
        for (String strategy : List.of("top1", "topk", "full", "sample")) {
          add(
              rows,
              "DDM k-means, " + strategy,
              seed,
              seeds,
              evaluate(ddm, env, scratch, classifier, count, strategy));
        }
        add(
            rows,
            "one expert alone (expert 0)",
            seed,
            seeds,
            evaluate(ddm, env, scratch, classifier, count, "expert"));
        RunConfig random =
            run(uri, K, PartitioningMethod.RANDOM, expertSteps, learningRate, EXPERT_EMA, seed, s3);
        TestRun.trainEveryTask(random, buckets, scratch);
        for (String strategy : List.of("top1", "full")) {
          add(
              rows,
              "DDM random split, " + strategy,
              seed,
              seeds,
              evaluate(random, env, scratch, classifier, count, strategy));
        }
        long monolithSteps = monolithSteps(ddm);
        // The EMA horizon 1/(1−β) the same fraction of training: as many times longer as the steps.
        double monolithEma = 1 - (1 - EXPERT_EMA) * expertSteps / monolithSteps;
        RunConfig monolith =
            run(
                uri,
                1,
                PartitioningMethod.KMEANS,
                monolithSteps,
                learningRate,
                monolithEma,
                seed,
                s3);
        TestRun.trainEveryTask(monolith, buckets, scratch);
        JsonNode alone = evaluate(monolith, env, scratch, classifier, count, "top1");
        add(rows, "monolith, FLOP-matched (" + monolithSteps + " steps)", seed, seeds, alone);
        add(rows, "real images (noise floor)", seed, seeds, floor(alone));
        System.out.printf("seed %d done%n", seed);
      }
    }
    System.out.printf(
        "shapes table: %d px, K=%d, %d training samples, %d steps per expert at batch %d, lr %s,"
            + " EMA %s, Euler %d steps, %d images per arm, %d seeds%n",
        SIZE,
        K,
        samples,
        expertSteps,
        BATCH,
        learningRate,
        EXPERT_EMA,
        SAMPLING_STEPS,
        count,
        seeds);
    System.out.println(
        "| arm | Fréchet distance | kernel distance ×1e3 | cells covered | copies | GFLOPs per"
            + " step | s per image |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(
        (arm, v) -> {
          List<String> cells = new ArrayList<>();
          for (int m = 0; m < METRICS.length; m++) {
            double[] values = v[m];
            if (m == 1) {
              values = values.clone();
              for (int i = 0; i < values.length; i++) {
                values[i] *= 1e3;
              }
            }
            cells.add(Double.isNaN(values[0]) ? "–" : SeedSpread.of(values));
          }
          System.out.printf("| %s | %s |%n", arm, String.join(" | ", cells));
        });
  }

  /**
   * K × the expert steps, plus the router's training FLOPs over one expert step's (its FLOPs per
   * image × its batch over the expert's).
   */
  private static long monolithSteps(RunConfig ddm) {
    double expertStep = DitFlops.expert(ModelConfigs.expert(ddm)) * (double) BATCH;
    double routerStep =
        DitFlops.router(ModelConfigs.router(ddm), K) * (double) ddm.router().getBatchSize();
    return Math.round(
        K * ddm.training().getSteps() + ddm.router().getSteps() * routerStep / expertStep);
  }

  private static JsonNode evaluate(
      RunConfig config,
      Map<String, String> env,
      Path scratch,
      Path classifier,
      int count,
      String strategy)
      throws Exception {
    Path runConfig = scratch.resolve(config.uid() + ".json");
    Files.writeString(runConfig, config.toJson());
    Path report = scratch.resolve(config.uid() + "-" + strategy + "-report.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                runConfig.toString(),
                "--classifier",
                classifier.toString(),
                "--count",
                "" + count,
                "--steps",
                "" + SAMPLING_STEPS,
                "--sampler",
                "euler",
                "--bootstrap",
                "0",
                "--out",
                report.toString()));
    if (strategy.equals("expert")) {
      args.addAll(List.of("--expert", "0"));
    } else if (strategy.equals("topk")) {
      args.addAll(List.of("--strategy", "topk", "--top-k", "2"));
    } else {
      args.addAll(List.of("--strategy", strategy));
    }
    CliRun evaluated = CliRun.of(env, args.toArray(String[]::new));
    if (evaluated.code() != 0) {
      throw new IllegalStateException(
          "evaluate " + args + " exited " + evaluated.code() + ": " + evaluated.out());
    }
    System.out.print(evaluated.out());
    return JsonMapper.builder().build().readTree(report.toFile());
  }

  /** The report's noise floor, shaped as a generated set's so it takes a row of its own. */
  private static JsonNode floor(JsonNode report) {
    ObjectNode copy = report.deepCopy();
    ((ObjectNode) copy.get("measured")).set("generated", report.at("/measured/floor"));
    copy.putNull("secondsPerImage");
    ((ObjectNode) copy.get("cost")).putNull("gflopsPerStep");
    return copy;
  }

  private static void add(
      Map<String, double[][]> rows, String arm, int seed, int seeds, JsonNode report) {
    double[][] row = rows.computeIfAbsent(arm, a -> new double[METRICS.length][seeds]);
    for (int m = 0; m < METRICS.length; m++) {
      JsonNode value = report.at(METRICS[m]);
      row[m][seed] = value.isNumber() ? value.asDouble() : Double.NaN;
    }
  }

  private static RunConfig run(
      String uri,
      int experts,
      PartitioningMethod method,
      long steps,
      double learningRate,
      double ema,
      int seed,
      EmbeddedS3 s3) {
    return TestRun.small()
        .uid(method.name().toLowerCase() + "-" + experts + "-" + seed)
        .dataset(uri, SIZE)
        .experts(experts, 32)
        .partitionMethod(method)
        .modelLayout(2, 64, 4)
        .training(steps, BATCH, learningRate, ema)
        .checkpoints(Math.max(1, steps / 2), 1)
        .routerLayout(1, 32, 2)
        .router(steps, BATCH)
        .config(s3);
  }
}
