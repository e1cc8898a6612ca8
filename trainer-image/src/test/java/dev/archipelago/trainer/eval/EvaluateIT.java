package dev.archipelago.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.cli.CliRun;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.serve.Serving;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archipelago evaluate} end to end, and evidence that its metrics tell good samples from
 * bad: with a classifier trained by {@code train-classifier}, real held-out images score at the
 * noise floor while images with a factor missing, copies of the training set and noise each score
 * far from it on the metric meant to catch them. Then a real two-expert shapes run is trained and
 * evaluated through the command line, as a user does.
 */
class EvaluateIT {
  private static final int SIZE = 16;
  private static final long DATA_SEED = 3;
  private static final int TRAINING = 2000;
  private static final int COUNT = 300;

  @TempDir static Path cache;
  private static Path classifier;
  private static NDManager manager;
  private static ClassifierTraining.Trained trained;

  @BeforeAll
  static void trainTheClassifier() throws Exception {
    classifier = cache.resolve("classifier-16");
    CliRun training =
        CliRun.of(
            Map.of(),
            "train-classifier",
            "--out",
            classifier.toString(),
            "--image-size",
            "" + SIZE,
            "--steps",
            "400",
            "--held-out",
            "1000");
    assertThat(training.code()).as(training.out()).isZero();
    manager = NDManager.newBaseManager();
    trained = ClassifierFile.read(classifier, manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void theClassifierReadsEveryFactorFarAboveChance() {
    System.out.println("classifier held-out accuracy " + trained.accuracies());
    // Chance: 1/5, 1/6, 1/3, 1/4.
    // Shape is the hard one at 16 px: a small shape spans 5 pixels.
    assertThat(trained.accuracies().get(0)).as("shape").isGreaterThan(0.45);
    assertThat(trained.accuracies().get(1)).as("colour").isGreaterThan(0.9);
    assertThat(trained.accuracies().get(2)).as("size").isGreaterThan(0.7);
    assertThat(trained.accuracies().get(3)).as("background").isGreaterThan(0.9);
  }

  @Test
  void theSameSettingsTrainTheSameClassifier() throws Exception {
    ClassifierTraining.Settings settings = new ClassifierTraining.Settings(SIZE, 3, 8, 1e-3, 11, 8);
    try (NDManager scratch = NDManager.newBaseManager()) {
      ClassifierTraining.Trained first = ClassifierTraining.train(settings, scratch, step -> {});
      ClassifierTraining.Trained second = ClassifierTraining.train(settings, scratch, step -> {});
      assertThat(weights(second)).isEqualTo(weights(first));
      assertThat(second.normalisation().mean()).isEqualTo(first.normalisation().mean());
    }
  }

  private static byte[] weights(ClassifierTraining.Trained trained) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    trained.classifier().saveParameters(new java.io.DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  @Test
  void theMetricsTellRealImagesFromBrokenOnes() {
    SampleQuality quality = new SampleQuality(DATA_SEED, TRAINING, SIZE, TRAINING, 100, 1);
    float[][] real = ShapeImages.render(DATA_SEED, 10 * TRAINING, COUNT, SIZE).images();
    SampleQuality.Measured heldOut = quality.measure(real, trained, manager);
    SampleQuality.Scores floor = heldOut.floor();
    assertThat(heldOut.generated().frechet().value())
        .as("unseen real images score at the floor")
        .isLessThan(2 * floor.frechet().high());

    ShapeImages training = ShapeImages.render(DATA_SEED, 0, COUNT, SIZE);
    SampleQuality.Measured copies = quality.measure(training.images(), trained, manager);
    assertThat(copies.generated().memorisation().copyRate()).isEqualTo(1.0);
    assertThat(floor.memorisation().copyRate()).isLessThan(0.05);

    SampleQuality.Measured blackOnly = quality.measure(onlyBlackBackgrounds(), trained, manager);
    assertThat(blackOnly.generated().factors().distances().get(3))
        .as("background distance of black backgrounds only")
        .isGreaterThan(0.6);
    assertThat(blackOnly.generated().factors().coverage())
        .isLessThan(floor.factors().coverage() / 2);
    assertThat(blackOnly.generated().frechet().low()).isGreaterThan(floor.frechet().high());
    assertThat(blackOnly.generated().kernel().low()).isGreaterThan(floor.kernel().high());

    SampleQuality.Measured noise = quality.measure(noise(), trained, manager);
    assertThat(noise.generated().frechet().value())
        .isGreaterThan(blackOnly.generated().frechet().value());
  }

  @Test
  void evaluateMeasuresATrainedRunThroughTheCommandLine(@TempDir Path scratch) throws Exception {
    try (EmbeddedS3 s3 = new EmbeddedS3()) {
      s3.createBucket(TestRun.BUCKET);
      RunConfig config =
          TestRun.small()
              .uid("evaluate")
              .dataset("synthetic://shapes?samples=512&shardSize=256&seed=" + DATA_SEED, SIZE)
              .experts(2, 8)
              .modelLayout(1, 32, 2)
              .training(30, 16, 2e-3, 0.99)
              .checkpoints(30, 1)
              .router(20, 16)
              .config(s3);
      try (S3Buckets buckets = new S3Buckets(s3.settings())) {
        TestRun.trainEveryTask(config, buckets, scratch);
      }
      Path runConfig = scratch.resolve("run-config.json");
      Files.writeString(runConfig, config.toJson());
      Map<String, String> env = new HashMap<>(s3.credentials());
      env.put(PodEnv.SCRATCH_DIR, scratch.toString());
      Path report = scratch.resolve("report.json");
      CliRun evaluated = CliRun.of(env, topOneArm(runConfig, report));
      assertThat(evaluated.code()).as(evaluated.out()).isZero();
      System.out.print(evaluated.out());
      assertThat(evaluated.out()).contains("Fréchet distance").contains("GFLOPs per step");
      JsonNode json = JsonMapper.builder().build().readTree(report.toFile());
      JsonNode measured = json.get("measured");
      // 30 steps of a one-block DiT are far from the data; the floor is the data.
      assertThat(measured.at("/generated/frechet/value").asDouble())
          .isGreaterThan(measured.at("/floor/frechet/high").asDouble());
      assertThat(json.at("/cost/evaluations").asInt()).isEqualTo(8);
      assertThat(json.at("/cost/gflopsPerStep").asDouble()).isPositive();
      assertThat(json.get("secondsPerImage").asDouble()).isPositive();

      // The same arm from a running server: the same images, so the same report.
      Path fromServer = scratch.resolve("report-from-server.json");
      try (S3Buckets buckets = new S3Buckets(s3.settings());
          Serving serving =
              Serving.start(
                  config,
                  GeneratedSamples.servingOptions(16, Duration.ofMinutes(5)),
                  buckets::forBucket,
                  scratch)) {
        CliRun served =
            CliRun.of(
                env,
                topOneArm(runConfig, fromServer, "--server", "http://127.0.0.1:" + serving.port()));
        assertThat(served.code()).as(served.out()).isZero();
      }
      JsonNode served = JsonMapper.builder().build().readTree(fromServer.toFile());
      assertThat(served.get("measured")).isEqualTo(measured);

      CliRun refused =
          CliRun.of(
              env,
              "evaluate",
              "--config",
              runConfig.toString(),
              "--classifier",
              classifier.toString(),
              "--strategy",
              "best");
      assertThat(refused.code()).isEqualTo(ExitCodes.BAD_CONFIG);
    }
  }

  /** {@code evaluate} of 64 top-1 images in 8 steps, its report written to {@code report}. */
  private static String[] topOneArm(Path runConfig, Path report, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                runConfig.toString(),
                "--classifier",
                classifier.toString(),
                "--count",
                "64",
                "--steps",
                "8",
                "--strategy",
                "top1",
                "--bootstrap",
                "50",
                "--out",
                report.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static float[][] onlyBlackBackgrounds() {
    // Rendered images whose background factor is black: the first COUNT such samples.
    ShapeImages pool = ShapeImages.render(DATA_SEED, 20 * TRAINING, 8 * COUNT, SIZE);
    float[][] out = new float[COUNT][];
    int next = 0;
    for (int i = 0; i < pool.count() && next < COUNT; i++) {
      if (pool.factors()[i][3] == 0) {
        out[next++] = pool.images()[i];
      }
    }
    assertThat(next).isEqualTo(COUNT);
    return out;
  }

  private static float[][] noise() {
    SplittableRandom random = new SplittableRandom(5);
    float[][] out = new float[COUNT][3 * SIZE * SIZE];
    for (float[] image : out) {
      for (int i = 0; i < image.length; i++) {
        image[i] = (float) Math.max(-1, Math.min(1, random.nextGaussian() * 0.5));
      }
    }
    return out;
  }
}
