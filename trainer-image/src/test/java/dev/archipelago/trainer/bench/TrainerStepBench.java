package dev.archipelago.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.train.AdamWConfig;
import dev.archipelago.trainer.train.Batches;
import dev.archipelago.trainer.train.ComputePrecision;
import dev.archipelago.trainer.train.FlowMatchingTrainer;
import dev.archipelago.trainer.train.RectifiedFlow;
import dev.archipelago.trainer.train.StepNoise;
import dev.archipelago.trainer.train.TimeSampler;
import dev.archipelago.trainer.train.TrainingPlacement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Times the real {@link FlowMatchingTrainer#trainStep} (noise draw, forward, backward, clipping,
 * AdamW, EMA) of one expert preset; bench/run-trainer-bench.sh compares it with PyTorch eager
 * (bench/dit_reference.py). Not a test: surefire never picks it up (no *Test name), and it only
 * prints.
 *
 * <p>Arguments: {@code PRESET BATCH IMAGE_SIZE CLASSES WARMUP STEPS}. Prints one line per timing:
 * {@code RESULT djl <preset> <what> <median ms> <min ms> <parameters>}, where what is {@code step}
 * (the trainer's step), {@code fwd_bwd} (forward, loss and backward alone), {@code adamw} (clipping
 * + AdamW) or {@code ema} (the EMA update): the parts locate any overhead. Then, from fresh
 * trainers: {@code step_fp16} (fp16 replica with loss scaling) and {@code step_2replicas} (the
 * batch split over two replicas on the same CPU: the cost of the data-parallel copy and reduction,
 * since one device gains no parallelism from it).
 */
public final class TrainerStepBench {
  private static final int RGB = 3;

  private TrainerStepBench() {}

  public static void main(String[] args) {
    DitPreset preset = DitPreset.fromName(args[0]);
    int batch = Integer.parseInt(args[1]);
    int imageSize = Integer.parseInt(args[2]);
    int classes = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int steps = Integer.parseInt(args[5]);
    String name = preset.name().toLowerCase(java.util.Locale.ROOT);
    DitConfig config = preset.config(imageSize, RGB, classes, 0.1);
    Engine.getInstance().setRandomSeed(0);
    List<Sample> samples = randomBatch(batch, imageSize, classes);

    long parameters;
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionTransformer model = new DiffusionTransformer(config);
      model.initializeParameters(manager, DataType.FLOAT32);
      parameters =
          model.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      try (FlowMatchingTrainer trainer =
          new FlowMatchingTrainer(
              model,
              manager,
              TrainingPlacement.single(manager.getDevice()),
              AdamWConfig.defaults(),
              0.9999,
              TimeSampler.logitNormal(0, 1),
              0)) {
        double[] step = time(warmup, steps, () -> trainer.trainStep(samples));
        report(name, "step", step, parameters);
        double[] fwdBwd = time(warmup, steps, () -> forwardBackward(model, manager, samples));
        report(name, "fwd_bwd", fwdBwd, parameters);
        // The rest of the step, alone (on the zeroed gradients fwd_bwd leaves: same work).
        double[] adamW =
            time(
                warmup,
                steps,
                () -> trainer.core().optimizer().step(trainer.core().parameters(), 1e-4));
        report(name, "adamw", adamW, parameters);
        double[] ema =
            time(
                warmup,
                steps,
                () ->
                    trainer
                        .core()
                        .ema()
                        .update(trainer.core().parameters(), trainer.core().optimizer().steps()));
        report(name, "ema", ema, parameters);
        PhaseTimes phases = new PhaseTimes();
        time(warmup, steps, () -> phasedStep(trainer, model, manager, samples, phases));
        phases.report(name, warmup + steps);
        // The trainer's step once more, last: tells an order (warm-up) effect from a cost of its
        // own.
        report(name, "step_late", time(0, steps, () -> trainer.trainStep(samples)), parameters);
      }
    }
    TrainingPlacement fp16 = new TrainingPlacement(List.of(Device.cpu()), ComputePrecision.FP16);
    report(name, "step_fp16", timePlacement(config, fp16, samples, warmup, steps), parameters);
    TrainingPlacement twoReplicas =
        new TrainingPlacement(List.of(Device.cpu(), Device.cpu()), ComputePrecision.FP32);
    report(
        name,
        "step_2replicas",
        timePlacement(config, twoReplicas, samples, warmup, steps),
        parameters);
  }

  /** The trainer's step with a fresh model in {@code placement}. */
  private static double[] timePlacement(
      DitConfig config, TrainingPlacement placement, List<Sample> samples, int warmup, int steps) {
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      DiffusionTransformer model = new DiffusionTransformer(config);
      model.initializeParameters(manager, DataType.FLOAT32);
      try (FlowMatchingTrainer trainer =
          new FlowMatchingTrainer(
              model,
              manager,
              placement,
              AdamWConfig.defaults(),
              0.9999,
              TimeSampler.logitNormal(0, 1),
              0)) {
        return time(warmup, steps, () -> trainer.trainStep(samples));
      }
    }
  }

  /** Milliseconds spent in each phase of {@link #phasedStep}, summed over calls. */
  private static final class PhaseTimes {
    final String[] names = {"noise", "forward", "backward", "adamw", "ema", "release"};
    final double[] ms = new double[names.length];
    long last;

    void start() {
      last = System.nanoTime();
    }

    void lap(int phase) {
      long now = System.nanoTime();
      ms[phase] += (now - last) / 1e6;
      last = now;
    }

    void report(String preset, int calls) {
      StringBuilder line = new StringBuilder("PHASES djl " + preset + " (mean ms):");
      for (int i = 0; i < names.length; i++) {
        line.append(String.format(java.util.Locale.ROOT, " %s %.1f", names[i], ms[i] / calls));
      }
      System.out.println(line);
    }
  }

  /**
   * {@link FlowMatchingTrainer#trainStep} written out from the same public parts, with a clock
   * between the phases: where a step's time goes that the separate timings above do not show.
   */
  private static void phasedStep(
      FlowMatchingTrainer trainer,
      DiffusionTransformer model,
      NDManager manager,
      List<Sample> batch,
      PhaseTimes phases) {
    DitConfig config = model.config();
    phases.start();
    StepNoise noise =
        StepNoise.draw(
            0,
            trainer.core().step(),
            batch.size(),
            RGB * config.imageSize() * config.imageSize(),
            TimeSampler.logitNormal(0, 1),
            Batches.labels(batch),
            config.numClasses(),
            config.classDropout());
    NDManager scope = manager.newSubManager();
    NDArray x0 = Batches.images(scope, batch);
    NDArray eps = scope.create(noise.noise(), x0.getShape());
    NDArray t = scope.create(noise.times(), new Shape(batch.size()));
    NDList inputs =
        new NDList(RectifiedFlow.interpolate(x0, eps, t), t, scope.create(noise.labels()));
    phases.lap(0);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray predicted =
          model.forward(new ParameterStore(scope, false), inputs, true).singletonOrThrow();
      NDArray loss = RectifiedFlow.loss(predicted, RectifiedFlow.velocity(x0, eps));
      loss.getFloat();
      phases.lap(1);
      collector.backward(loss);
      loss.getFloat();
      phases.lap(2);
    }
    trainer.core().optimizer().step(trainer.core().parameters(), 1e-4);
    phases.lap(3);
    trainer.core().ema().update(trainer.core().parameters(), trainer.core().optimizer().steps());
    phases.lap(4);
    scope.close();
    phases.lap(5);
  }

  /** The trainer's forward + loss + backward without clipping, AdamW or EMA. */
  private static void forwardBackward(
      DiffusionTransformer model, NDManager manager, List<Sample> samples) {
    int batch = samples.size();
    int size = model.config().imageSize();
    try (NDManager scope = manager.newSubManager()) {
      Shape images = new Shape(batch, RGB, size, size);
      NDArray x0 = scope.randomUniform(-1, 1, images);
      NDArray eps = scope.randomNormal(images);
      NDArray t = scope.randomUniform(0, 1, new Shape(batch));
      long[] labels = new long[batch];
      NDList inputs = new NDList(RectifiedFlow.interpolate(x0, eps, t), t, scope.create(labels));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray predicted =
            model.forward(new ParameterStore(scope, false), inputs, true).singletonOrThrow();
        NDArray loss = RectifiedFlow.loss(predicted, RectifiedFlow.velocity(x0, eps));
        collector.backward(loss);
        loss.getFloat();
      }
      // Gradients accumulate in DJL: zero them, as AdamW does (the reference's zero_grad).
      for (Parameter p : model.getParameters().values()) {
        NDArray g = p.getArray().getGradient();
        g.subi(g);
      }
    }
  }

  private static List<Sample> randomBatch(int batch, int imageSize, int classes) {
    SplittableRandom random = new SplittableRandom(0);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      float[] pixels = new float[RGB * imageSize * imageSize];
      for (int j = 0; j < pixels.length; j++) {
        pixels[j] = (float) random.nextDouble(-1, 1);
      }
      out.add(new Sample("bench", "s" + i, pixels, imageSize, OptionalInt.of(i % classes)));
    }
    return out;
  }

  private static double[] time(int warmup, int steps, Runnable work) {
    for (int i = 0; i < warmup; i++) {
      work.run();
    }
    double[] ms = new double[steps];
    for (int i = 0; i < steps; i++) {
      long start = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static void report(String preset, String what, double[] sortedMs, long parameters) {
    System.out.printf(
        java.util.Locale.ROOT,
        "RESULT djl %s %s %.1f %.1f %d%n",
        preset,
        what,
        sortedMs[sortedMs.length / 2],
        sortedMs[0],
        parameters);
  }
}
