package dev.archipelago.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LoaderOptions;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.train.AdamWConfig;
import dev.archipelago.trainer.train.FlowMatchingTrainer;
import dev.archipelago.trainer.train.TimeSampler;
import dev.archipelago.trainer.train.TrainingPlacement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The loader against the step it feeds, in one run on this machine: images/s of {@link
 * ShuffledSampleStream} with 1, 2 and 4 decode threads over JPEG shards of 32 px and 256 px
 * (photo-like content: smooth gradients and noise, quality 0.9 by ImageIO's default), the expert
 * step rate of the tiny and S presets at 32 px, batch 32, and a tiny training loop fed by the
 * stream, with the share of its time spent waiting for data. Not a test (no *Test name); prints
 * {@code RESULT} lines. Run by bench/run-loader-bench.sh.
 */
public final class LoaderBench {
  private static final int BATCH = 32;

  private LoaderBench() {}

  public static void main(String[] args) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("RESULT cores %d%n", cores);
    for (int size : new int[] {32, 256}) {
      int images = size == 32 ? 4096 : 768;
      Path dir = Files.createTempDirectory("loader-bench-" + size + "-");
      long bytes = JpegShards.write(dir, images, size, 128);
      System.out.printf(
          "RESULT shards %d px: %d images, %.1f KB per image%n",
          size, images, bytes / 1024.0 / images);
      for (int threads : new int[] {1, 2, 4}) {
        double rate = loaderRate(dir, size, threads, images);
        System.out.printf(
            "RESULT loader %d px, %d decode threads: %.0f images/s, %.0f per core used%n",
            size, threads, rate, rate / Math.min(threads, cores));
      }
      if (size == 32) {
        for (DitPreset preset : new DitPreset[] {DitPreset.TINY, DitPreset.S}) {
          double rate = stepRate(preset, size);
          System.out.printf(
              "RESULT step %s %d px batch %d: %.1f images/s%n", preset, size, BATCH, rate);
        }
        trainingLoop(dir, size, cores);
      }
    }
  }

  /** Images/s through the stream, after a warm-up pass over a quarter of the images. */
  private static double loaderRate(Path dir, int size, int threads, int images) throws IOException {
    try (ShuffledSampleStream stream = stream(dir, size, threads)) {
      for (int i = 0; i < images / 4 / BATCH; i++) {
        stream.nextBatch(BATCH);
      }
      int batches = images / BATCH;
      long start = System.nanoTime();
      for (int i = 0; i < batches; i++) {
        stream.nextBatch(BATCH);
      }
      return batches * BATCH / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** The expert step rate (images/s) of a preset on random 32-px batches. */
  private static double stepRate(DitPreset preset, int size) throws IOException {
    int warmup = preset == DitPreset.TINY ? 3 : 1;
    int timed = preset == DitPreset.TINY ? 8 : 2;
    Path dir = Files.createTempDirectory("loader-bench-step-");
    JpegShards.write(dir, BATCH * 2, size, BATCH);
    List<Sample> batch;
    try (ShuffledSampleStream stream = stream(dir, size, 1)) {
      batch = stream.nextBatch(BATCH);
    }
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionTransformer model = new DiffusionTransformer(preset.config(size, 3, 0, 0.1));
      model.initializeParameters(manager, DataType.FLOAT32);
      try (FlowMatchingTrainer trainer = trainer(model, manager)) {
        for (int i = 0; i < warmup; i++) {
          trainer.trainStep(batch);
        }
        long start = System.nanoTime();
        for (int i = 0; i < timed; i++) {
          trainer.trainStep(batch);
        }
        return timed * BATCH / ((System.nanoTime() - start) / 1e9);
      }
    }
  }

  /** A tiny expert trained from the stream: the share of its time spent in nextBatch. */
  private static void trainingLoop(Path dir, int size, int threads) throws IOException {
    int steps = 20;
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager();
        ShuffledSampleStream stream = stream(dir, size, threads)) {
      DiffusionTransformer model = new DiffusionTransformer(DitPreset.TINY.config(size, 3, 0, 0.1));
      model.initializeParameters(manager, DataType.FLOAT32);
      try (FlowMatchingTrainer trainer = trainer(model, manager)) {
        trainer.trainStep(stream.nextBatch(BATCH));
        double waitedBefore = stream.clock().seconds();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          trainer.trainStep(stream.nextBatch(BATCH));
        }
        double total = (System.nanoTime() - start) / 1e9;
        double waited = stream.clock().seconds() - waitedBefore;
        System.out.printf(
            "RESULT tiny training loop %d px, %d decode threads: %d steps in %.1f s, %.1f %% of"
                + " it waiting for data%n",
            size, threads, steps, total, 100 * waited / total);
      }
    }
  }

  private static FlowMatchingTrainer trainer(DiffusionTransformer model, NDManager manager) {
    return new FlowMatchingTrainer(
        model,
        manager,
        TrainingPlacement.single(manager.getDevice()),
        AdamWConfig.defaults(),
        0.9999,
        TimeSampler.logitNormal(0, 1),
        0);
  }

  private static ShuffledSampleStream stream(Path dir, int size, int threads) throws IOException {
    return new ShuffledSampleStream(
        new LocalShardDirectory(dir),
        new SampleDecoder(ImageFormat.rgb(size), "cls"),
        new LoaderOptions(8, threads),
        1,
        true,
        DataCursor.START,
        raw -> true);
  }
}
