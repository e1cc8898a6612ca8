package dev.archipelago.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class DiffusionTransformerTest {
  private static final DitConfig CONFIG = DitPreset.TINY.config(8, 3, 4, 0.1);

  @Test
  void anUntrainedExpertPredictsZeroVelocityOfTheInputShape() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionTransformer model = new DiffusionTransformer(CONFIG);
      model.initializeParameters(manager, DataType.FLOAT32);

      NDArray v = forward(model, manager, false);

      assertThat(v.getShape()).isEqualTo(new Shape(2, 3, 8, 8));
      assertThat(v.abs().max().getFloat()).isZero();
    }
  }

  @Test
  void atInitialisationOnlyTheZeroedLayersReceiveGradient() {
    // adaLN-Zero: every block is the identity and the output layer is zero, so the first gradient
    // reaches just the output layer and the final modulation, not the trunk.
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      DiffusionTransformer model = new DiffusionTransformer(CONFIG);
      model.initializeParameters(manager, DataType.FLOAT32);

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray v = forward(model, manager, true);
        collector.backward(v.sub(1f).square().mean());
      }

      int outputChecked = 0;
      int blocksChecked = 0;
      for (Pair<String, Parameter> p : model.getParameters()) {
        float gradientNorm = p.getValue().getArray().getGradient().abs().sum().getFloat();
        if (p.getKey().contains("head") && p.getKey().contains("output")) {
          assertThat(gradientNorm).as(p.getKey()).isPositive();
          outputChecked++;
        } else if (p.getKey().contains("block")) {
          assertThat(gradientNorm).as(p.getKey()).isZero();
          blocksChecked++;
        }
      }
      assertThat(outputChecked).isEqualTo(2);
      assertThat(blocksChecked).isEqualTo(CONFIG.depth() * 10);
    }
  }

  @Test
  void theRouterMapsANoisedBatchToOneLogitPerExpert() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionRouter router = new DiffusionRouter(CONFIG, 5);
      router.initializeParameters(manager, DataType.FLOAT32);
      NDList inputs = inputs(manager);

      NDArray logits =
          router.forward(new ParameterStore(manager, false), inputs, false).singletonOrThrow();

      assertThat(logits.getShape()).isEqualTo(new Shape(2, 5));
      assertThat(logits.isNaN().any().getBoolean()).isFalse();
    }
  }

  private static NDArray forward(DiffusionTransformer model, NDManager manager, boolean training) {
    return model
        .forward(new ParameterStore(manager, false), inputs(manager), training)
        .singletonOrThrow();
  }

  private static NDList inputs(NDManager manager) {
    NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
    NDArray t = manager.create(new float[] {0.1f, 0.9f});
    NDArray labels = manager.create(new long[] {1, CONFIG.numClasses()});
    return new NDList(x, t, labels);
  }

  @Test
  void thePatchKernelIsXavierOverItsMatrixViewAsInDiT() {
    // Patch 4 on RGB, width 64: the kernel [64, 3, 4, 4] is a [64, 48] matrix.
    DitConfig config = new DitConfig(16, 3, 4, 64, 1, 4, 4.0, 0, 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionTransformer model = new DiffusionTransformer(config);
      model.initializeParameters(manager, DataType.FLOAT32);
      NDArray kernel =
          model.getParameters().stream()
              .filter(p -> p.getKey().contains("projection") && p.getKey().endsWith("weight"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getArray();
      assertThat(kernel.getShape()).isEqualTo(new Shape(64, 3, 4, 4));
      double bound = Math.sqrt(6.0 / (48 + 64));
      float[] values = kernel.toFloatArray();
      double sumSquares = 0;
      for (float v : values) {
        assertThat(Math.abs(v)).isLessThanOrEqualTo((float) bound);
        sumSquares += v * v;
      }
      // A uniform on ±b has standard deviation b / √3; DJL's own rule would give about half.
      double std = Math.sqrt(sumSquares / values.length);
      assertThat(std).isBetween(0.9 * bound / Math.sqrt(3), 1.1 * bound / Math.sqrt(3));
    }
  }
}
