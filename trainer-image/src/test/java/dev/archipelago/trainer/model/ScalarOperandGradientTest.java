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
import ai.djl.training.initializer.NormalInitializer;
import dev.archipelago.trainer.testing.FreedMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the trap described in {@link Tensors}: a Number operand on the gradient path is freed
 * before backward reads it. Between forward and backward this test frees collectable direct buffers
 * and refills fresh ones with 1e30, so a dangling scalar reads 1e30 and the gradient differs from
 * the undisturbed pass.
 */
class ScalarOperandGradientTest {
  private static final DitConfig CONFIG = DitPreset.TINY.config(8, 3, 4, 0.0);

  @Test
  void gradientsDoNotChangeWhenFreedMemoryIsReusedBeforeBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      DiffusionTransformer model = new DiffusionTransformer(CONFIG);
      // Non-zero everywhere, so gradient reaches the conditioning path (adaLN-Zero would block it).
      model.setInitializer(new NormalInitializer(0.05f), p -> true);
      model.initializeParameters(manager, DataType.FLOAT32);

      float[] undisturbed = timeMlpGradient(model, manager, false);
      float[] disturbed = timeMlpGradient(model, manager, true);

      assertThat(undisturbed).doesNotContain(0f);
      assertThat(disturbed).isEqualTo(undisturbed);
    }
  }

  private static float[] timeMlpGradient(
      DiffusionTransformer model, NDManager manager, boolean disturb) {
    Parameter weight =
        model.getParameters().stream()
            .filter(p -> p.getKey().contains("time") && p.getKey().endsWith("first_weight"))
            .findFirst()
            .orElseThrow()
            .getValue();
    NDArray grad = weight.getArray().getGradient();
    grad.subi(grad);
    List<ByteBuffer> filler = new ArrayList<>();
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDList inputs =
          new NDList(
              step.ones(new Shape(2, 3, 8, 8)),
              step.create(new float[] {0.2f, 0.7f}),
              step.create(new long[] {1, 3}));
      NDArray out = model.forward(new ParameterStore(step, false), inputs, true).singletonOrThrow();
      if (disturb) {
        filler.addAll(FreedMemory.reuseWithGarbage());
      }
      collector.backward(out.square().mean());
    }
    return weight.getArray().getGradient().toFloatArray();
  }
}
