package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.NoiseLevelAccuracy;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.checkpoint.TensorFile;
import dev.archipelago.trainer.checkpoint.TrainingCheckpoint;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.train.EulerSampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short real runs of the tiny expert and router on generated shapes (16×16), through the same tasks
 * a pod runs, with S3Proxy as storage. The pixel-feature partition into 4 clusters follows the
 * background (see ShapesPartitionTest), which a router can tell apart at low noise.
 */
class ShapesTrainingTest {
  private static EmbeddedS3 s3;
  private static S3Buckets buckets;
  private static RunConfig config;
  @TempDir static Path scratch;

  @BeforeAll
  static void partition() throws Exception {
    s3 = new EmbeddedS3();
    s3.createBucket(TestRun.BUCKET);
    buckets = new S3Buckets(s3.settings());
    config =
        TestRun.small()
            .uid("shapes")
            .dataset("synthetic://shapes?samples=1280&shardSize=320&seed=9", 16)
            .experts(4, 32)
            .tinyPreset()
            .training(200, 16, 2e-3, 0.98)
            .checkpoints(1000, 1)
            .router(100, 16)
            .config(s3);
    assertThat(run(Task.of(Role.PARTITION, 1))).isEqualTo(ExitCodes.OK);
  }

  @AfterAll
  static void stop() throws Exception {
    buckets.close();
    s3.close();
  }

  @Test
  void routerHeldOutAccuracyIsHighAtLowNoiseAndFallsToChanceAtPureNoise() throws Exception {
    assertThat(run(Task.of(Role.ROUTER, 1))).isEqualTo(ExitCodes.OK);

    Progress progress = read(config.layout().routerProgress(), Progress.class);
    List<NoiseLevelAccuracy> accuracy = progress.routerAccuracy();
    ClusterSizes sizes = read(config.layout().clusterSizes(), ClusterSizes.class);
    double chance = Collections.max(sizes.sizes()) / (double) sizes.total();
    System.out.println("router held-out accuracy " + accuracy + ", chance " + chance);
    assertThat(progress.phase()).isEqualTo(ProgressPhase.Completed);
    // Measured where the default 50-step sampler asks: 16 of its times, t = 1 first, 0.02 last.
    assertThat(accuracy).extracting(NoiseLevelAccuracy::noiseLevel).hasSize(16).startsWith(1.0);
    NoiseLevelAccuracy last = accuracy.get(accuracy.size() - 1);
    assertThat(last.noiseLevel()).isCloseTo(0.02, within(1e-9));
    assertThat(last.accuracy()).isGreaterThanOrEqualTo(0.9);
    assertThat(accuracy.get(accuracy.size() - 2).accuracy()).isGreaterThanOrEqualTo(0.9);
    assertThat(accuracy.get(0).accuracy()).isLessThanOrEqualTo(chance + 0.1);
  }

  /**
   * Statistic: the low-frequency share of each image plane's variance, i.e. the variance left after
   * 4×4 average pooling (scaled back by 16) over the plane's variance. White noise spreads its
   * variance over all frequencies, so its share is 1/16 ≈ 0.06; the shapes images (flat
   * backgrounds, large shapes) keep most of theirs. After 200 steps the EMA expert's Euler samples
   * must keep at least 0.25 (observed 0.36), i.e. be clearly structured images, while the noise
   * they started from stays below 0.1. The roughness (1 − lag-1 autocorrelation; noise ≈ 1) is
   * printed and must fall below 0.7 (observed 0.51).
   */
  @Test
  void eulerSamplesFromTheTinyExpertsEmaWeightsAreNotNoise() throws Exception {
    assertThat(run(Task.expert(0, 1))).isEqualTo(ExitCodes.OK);
    Progress progress = read(config.layout().expertProgress(0), Progress.class);
    assertThat(progress.phase()).isEqualTo(ProgressPhase.Completed);
    assertThat(progress.loss()).isNotNull().isLessThan(1.0);

    Path ema = scratch.resolve("ema.bin");
    Files.write(
        ema,
        store()
            .read(config.layout().expertCheckpoint(0, 200) + TrainingCheckpoint.EMA)
            .orElseThrow());
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionTransformer model = new DiffusionTransformer(ModelConfigs.expert(config));
      model.initializeParameters(manager, DataType.FLOAT32);
      TensorFile.read(
          ema, (name, tensor) -> model.getParameters().get(name).getArray().set(tensor.values()));

      SplittableRandom random = new SplittableRandom(3);
      float[] noise = new float[8 * 3 * 16 * 16];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) random.nextGaussian();
      }
      NDArray start = manager.create(noise, new Shape(8, 3, 16, 16));
      NDArray samples = EulerSampler.sample(model, start, 20);
      double noiseRoughness = roughness(noise);
      double sampleRoughness = roughness(samples.toFloatArray());
      System.out.printf(
          "roughness: starting noise %.3f, Euler samples %.3f; low-frequency share: noise %.3f,"
              + " samples %.3f%n",
          noiseRoughness,
          sampleRoughness,
          lowFrequencyShare(noise),
          lowFrequencyShare(samples.toFloatArray()));
      assertThat(lowFrequencyShare(noise)).isLessThan(0.1);
      assertThat(lowFrequencyShare(samples.toFloatArray())).isGreaterThanOrEqualTo(0.25);
      assertThat(noiseRoughness).isGreaterThan(0.9);
      assertThat(sampleRoughness).isLessThan(0.7);
      assertThat(Double.isFinite(sampleRoughness)).isTrue();
    }
  }

  /** Share of each plane's variance left after 4×4 average pooling (white noise: 1/16). */
  private static double lowFrequencyShare(float[] images) {
    int side = 16;
    int plane = side * side;
    int planes = images.length / plane;
    double total = 0;
    for (int p = 0; p < planes; p++) {
      int base = p * plane;
      double mean = 0;
      for (int i = 0; i < plane; i++) {
        mean += images[base + i];
      }
      mean /= plane;
      double variance = 0;
      for (int i = 0; i < plane; i++) {
        variance += Math.pow(images[base + i] - mean, 2);
      }
      double pooledVariance = 0;
      for (int by = 0; by < side; by += 4) {
        for (int bx = 0; bx < side; bx += 4) {
          double block = 0;
          for (int y = by; y < by + 4; y++) {
            for (int x = bx; x < bx + 4; x++) {
              block += images[base + y * side + x];
            }
          }
          pooledVariance += 16 * Math.pow(block / 16 - mean, 2);
        }
      }
      total += variance < 1e-8 ? 1 : pooledVariance / variance;
    }
    return total / planes;
  }

  /** Mean over images and channels of 1 − lag-1 autocorrelation, images [N, 3, 16, 16]. */
  private static double roughness(float[] images) {
    int side = 16;
    int plane = side * side;
    double total = 0;
    int planes = images.length / plane;
    for (int p = 0; p < planes; p++) {
      int base = p * plane;
      double mean = 0;
      for (int i = 0; i < plane; i++) {
        mean += images[base + i];
      }
      mean /= plane;
      double variance = 0;
      for (int i = 0; i < plane; i++) {
        variance += (images[base + i] - mean) * (images[base + i] - mean);
      }
      variance /= plane;
      double squaredDifferences = 0;
      int pairs = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          float v = images[base + y * side + x];
          if (x + 1 < side) {
            squaredDifferences += Math.pow(v - images[base + y * side + x + 1], 2);
            pairs++;
          }
          if (y + 1 < side) {
            squaredDifferences += Math.pow(v - images[base + (y + 1) * side + x], 2);
            pairs++;
          }
        }
      }
      // A flat plane (zero variance) is as smooth as it gets.
      total += variance < 1e-8 ? 0 : squaredDifferences / pairs / (2 * variance);
    }
    return total / planes;
  }

  private static int run(Task task) {
    return TaskRunner.run(TestRun.context(config, task, buckets, scratch, StopSignal.NEVER));
  }

  private static ObjectStore store() {
    return buckets.forBucket(TestRun.BUCKET);
  }

  private static <T> T read(String key, Class<T> type) throws Exception {
    return ContractJson.read(store().read(key).orElseThrow(), type);
  }
}
