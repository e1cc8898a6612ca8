package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.data.shapes.ShapeKind;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.model.DiffusionTransformer;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.testing.FreedMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data parallelism and reduced precision on a real tiny expert. This machine has one CPU device and
 * no GPU, so the replicas all live on the CPU: each is still its own copy of the model with its own
 * shard, its own backward pass and gradients, so the split, the weighting and the reduction are
 * what is tested; on a GPU node only the device each replica lives on differs.
 */
class DataParallelTrainerTest {
  private static final int IMAGE_SIZE = 8;
  private static final int SEED = 11;
  private static final DitConfig CONFIG =
      DitPreset.TINY.config(IMAGE_SIZE, 3, ShapeKind.classCount(), 0.1);

  @TempDir static Path dir;
  private static final List<List<Sample>> BATCHES = new ArrayList<>();

  @BeforeAll
  static void data() throws IOException {
    new ShapesDatasetGenerator(3).generate(64, 8, 32, new LocalShardDirectory(dir));
    ShuffledSampleStream stream =
        new ShuffledSampleStream(
            new LocalShardDirectory(dir),
            ImageFormat.rgb(IMAGE_SIZE),
            SEED,
            true,
            DataCursor.START);
    for (int i = 0; i < 4; i++) {
      BATCHES.add(stream.nextBatch(5));
    }
  }

  /** Batch 5 over 2 replicas is 3 + 2; over 3 it is 2 + 2 + 1; over 7 two replicas idle. */
  @ParameterizedTest
  @ValueSource(ints = {2, 3, 7})
  void replicasFollowTheSingleDeviceTrajectory(int replicas) {
    Run single = train(TrainingPlacement.single(Device.cpu()));
    Run parallel =
        train(
            new TrainingPlacement(
                Collections.nCopies(replicas, Device.cpu()), ComputePrecision.FP32));

    for (int i = 0; i < single.losses.size(); i++) {
      assertThat(parallel.losses.get(i))
          .as("loss of step %d", i)
          .isCloseTo(single.losses.get(i), org.assertj.core.data.Percentage.withPercentage(1e-3));
    }
    double largest = largestDifference(single.weights, parallel.weights);
    System.out.printf("%d replicas: largest weight difference %.3g%n", replicas, largest);
    // lr 1e-3 moves a weight by at most ~1e-3 a step; summation order shows far below that.
    assertThat(largest).isLessThan(1e-5);
    assertThat(largestDifference(single.ema, parallel.ema)).isLessThan(1e-5);
  }

  @Test
  void anFp16ReplicaComputesInFp16WhileMasterWeightsStayFp32() {
    ComputePrecision precision = ComputePrecision.FP16;
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        FlowMatchingTrainer trainer =
            trainer(manager, new TrainingPlacement(List.of(Device.cpu()), precision))) {
      {
        Map<String, float[]> before = snapshot(trainer.core().parameters());
        for (List<Sample> batch : BATCHES) {
          assertThat(trainer.trainStep(batch)).isFinite();
        }
        List<ModelReplica> replicas = trainer.core().replicas().list();
        assertThat(replicas).singleElement().satisfies(r -> assertThat(r.isMaster()).isFalse());
        for (Pair<String, Parameter> named : replicas.get(0).parameters()) {
          assertThat(named.getValue().getArray().getDataType())
              .as(named.getKey())
              .isEqualTo(precision.dataType());
        }
        for (Pair<String, Parameter> named : trainer.core().parameters()) {
          assertThat(named.getValue().getArray().getDataType()).isEqualTo(DataType.FLOAT32);
        }
        assertThat(trainer.core().optimizer().steps()).isEqualTo(BATCHES.size());
        assertThat(largestDifference(before, snapshot(trainer.core().parameters())))
            .as("the master weights moved")
            .isGreaterThan(1e-4);
      }
    }
  }

  @Test
  void anFp16StepWhoseGradientsOverflowIsSkippedAndHalvesTheLossScale() {
    Engine.getInstance().setRandomSeed(SEED);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      DiffusionTransformer model = new DiffusionTransformer(CONFIG);
      model.initializeParameters(manager, DataType.FLOAT32);
      try (DataParallelTrainer core = core(model, manager, ComputePrecision.FP16)) {
        Map<String, float[]> before = snapshot(core.parameters());
        Map<String, float[]> emaBefore = snapshot(core.ema());
        NDList inputs = inputs(manager);
        NDList targets = new NDList(manager.randomNormal(inputs.get(0).getShape()));
        // Loss factors are made here, not in the loss function: arrays made during the pass are
        // released before backward, and autograd reads these factors there.
        NDArray huge = manager.create(1e4f);
        NDArray small = manager.create(1e-3f);
        // 1e4 × the scale 65536 pushes gradients past fp16's largest value, 65504.
        float overflowing =
            core.trainStep(
                inputs,
                targets,
                (outputs, t) ->
                    RectifiedFlow.loss(outputs.singletonOrThrow(), t.singletonOrThrow()).mul(huge));

        assertThat(overflowing).isFinite();
        assertThat(core.step()).isEqualTo(1);
        assertThat(core.optimizer().steps()).isZero();
        assertThat(core.lossScaler().scale()).isEqualTo(LossScaler.INITIAL_SCALE / 2);
        assertThat(core.lossScaler().skippedSteps()).isEqualTo(1);
        assertThat(largestDifference(before, snapshot(core.parameters()))).isZero();
        assertThat(largestDifference(emaBefore, snapshot(core.ema()))).isZero();

        // A loss 1e-3 as large keeps this step's scaled gradients within fp16's range.
        core.trainStep(
            inputs,
            targets,
            (outputs, t) ->
                RectifiedFlow.loss(outputs.singletonOrThrow(), t.singletonOrThrow()).mul(small));
        assertThat(core.optimizer().steps()).isEqualTo(1);
        assertThat(core.lossScaler().skippedSteps()).isEqualTo(1);
        assertThat(largestDifference(before, snapshot(core.parameters()))).isGreaterThan(0);
      }
    }
  }

  /**
   * The trainer releases a pass's arrays before backward; autograd must still find everything it
   * saved. Between forward and backward (inside the loss) this frees collectable direct buffers and
   * refills fresh ones with 1e30, so a saved tensor whose memory was released reads garbage and the
   * update differs from an undisturbed one (as {@code model.ScalarOperandGradientTest}).
   */
  @ParameterizedTest
  @EnumSource(ComputePrecision.class)
  void releasingThePassBeforeBackwardChangesNothingWhenFreedMemoryIsReused(
      ComputePrecision precision) {
    Map<String, float[]> undisturbed = oneStep(precision, false);
    Map<String, float[]> disturbed = oneStep(precision, true);
    assertThat(largestDifference(undisturbed, disturbed)).isZero();
  }

  private static Map<String, float[]> oneStep(ComputePrecision precision, boolean disturb) {
    Engine.getInstance().setRandomSeed(SEED);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      DiffusionTransformer model = new DiffusionTransformer(CONFIG);
      // Non-zero everywhere, so gradient reaches every path (adaLN-Zero would block most).
      model.setInitializer(new NormalInitializer(0.05f), p -> true);
      model.initializeParameters(manager, DataType.FLOAT32);
      NDList inputs = inputs(manager);
      NDList targets = new NDList(manager.ones(inputs.get(0).getShape()));
      List<ByteBuffer> filler = new ArrayList<>();
      try (DataParallelTrainer core = core(model, manager, precision)) {
        core.trainStep(
            inputs,
            targets,
            (outputs, t) -> {
              NDArray loss = RectifiedFlow.loss(outputs.singletonOrThrow(), t.singletonOrThrow());
              if (disturb) {
                filler.addAll(FreedMemory.reuseWithGarbage());
              }
              return loss;
            });
        return snapshot(core.parameters());
      }
    }
  }

  /** The step machinery alone, on the CPU, for losses of the test's own making. */
  private static DataParallelTrainer core(
      DiffusionTransformer model, NDManager manager, ComputePrecision precision) {
    return new DataParallelTrainer(
        model,
        manager,
        (m, type) -> {
          DiffusionTransformer replica = new DiffusionTransformer(CONFIG);
          replica.initializeParameters(m, type);
          return replica;
        },
        new TrainingPlacement(List.of(Device.cpu()), precision),
        AdamWConfig.defaults(),
        0.9);
  }

  private static NDList inputs(NDManager manager) {
    NDArray images = manager.randomNormal(new ai.djl.ndarray.types.Shape(4, 3, 8, 8));
    NDArray times = manager.create(new float[] {0.1f, 0.4f, 0.6f, 0.9f});
    NDArray labels = manager.create(new long[] {0, 1, 2, 0});
    return new NDList(images, times, labels);
  }

  private record Run(List<Float> losses, Map<String, float[]> weights, Map<String, float[]> ema) {}

  private static Run train(TrainingPlacement placement) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        FlowMatchingTrainer trainer = trainer(manager, placement)) {
      {
        List<Float> losses = new ArrayList<>();
        for (List<Sample> batch : BATCHES) {
          losses.add(trainer.trainStep(batch));
        }
        return new Run(
            losses, snapshot(trainer.core().parameters()), snapshot(trainer.core().ema()));
      }
    }
  }

  /** A tiny expert from the seed's initial weights, lr 1e-3, EMA 0.9. */
  private static FlowMatchingTrainer trainer(NDManager manager, TrainingPlacement placement) {
    Engine.getInstance().setRandomSeed(SEED);
    DiffusionTransformer model = new DiffusionTransformer(CONFIG);
    model.initializeParameters(manager, DataType.FLOAT32);
    return new FlowMatchingTrainer(
        model,
        manager,
        placement,
        AdamWConfig.defaults().withLearningRate(1e-3),
        0.9,
        TimeSampler.logitNormal(0, 1),
        SEED);
  }

  private static Map<String, float[]> snapshot(PairList<String, Parameter> parameters) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> named : parameters) {
      out.put(named.getKey(), named.getValue().getArray().toFloatArray());
    }
    return out;
  }

  private static Map<String, float[]> snapshot(ExponentialMovingAverage ema) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : ema.names()) {
      out.put(name, ema.get(name).toFloatArray());
    }
    return out;
  }

  private static double largestDifference(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(b.keySet()).isEqualTo(a.keySet());
    double largest = 0;
    for (Map.Entry<String, float[]> entry : a.entrySet()) {
      float[] x = entry.getValue();
      float[] y = b.get(entry.getKey());
      for (int i = 0; i < x.length; i++) {
        largest = Math.max(largest, Math.abs(x[i] - y[i]));
      }
    }
    return largest;
  }
}
