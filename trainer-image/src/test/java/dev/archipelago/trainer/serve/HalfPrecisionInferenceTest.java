package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.model.RandomWeights;
import dev.archipelago.trainer.train.ComputePrecision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * fp16 serving runs the same expert in half precision: its velocity stays within fp16's rounding of
 * the fp32 one (and differs from it, so the half path really ran), an overflow is an error rather
 * than NaN images, and {@code auto} picks fp16 only where there is a GPU.
 */
class HalfPrecisionInferenceTest {
  private static final int ROWS = 8;

  @Test
  void halfPrecisionModelsAnswerWithinFp16RoundingOfFp32() {
    ImageShape shape = new ImageShape(3, 16);
    DitConfig config = DitPreset.TINY.config(16, 3, 3, 0.1);
    try (NDManager manager = NDManager.newBaseManager();
        DjlExpert expert = new DjlExpert(config, manager);
        DjlExpert halfExpert = new DjlExpert(config, manager, DataType.FLOAT16)) {
      RandomWeights.perturb(expert.model(), 0.05f, manager);
      copyWeights(expert.model(), halfExpert.model());
      SplittableRandom random = new SplittableRandom(7);
      float[] x = new float[ROWS * shape.values()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] t = new float[ROWS];
      long[] labels = new long[ROWS];
      for (int i = 0; i < ROWS; i++) {
        t[i] = (float) random.nextDouble();
        labels[i] = random.nextInt(4);
      }

      double velocityError =
          relativeError(
              expert.forward(shape, x, t, labels), halfExpert.forward(shape, x, t, labels));
      System.out.printf("fp16 expert: relative L2 error of the velocity %.2e%n", velocityError);
      assertThat(velocityError).isGreaterThan(0).isLessThan(1e-2);

      // Weights whose activations exceed fp16's range are refused, not answered with NaN.
      RandomWeights.perturb(expert.model(), 2f, manager);
      copyWeights(expert.model(), halfExpert.model());
      assertThatThrownBy(() -> halfExpert.forward(shape, x, t, labels))
          .hasMessageContaining("--precision fp32");
    }
  }

  @Test
  void autoIsFp16OnlyWithAGpu() {
    assertThat(ExpertPrecision.resolve("auto", 0)).isEqualTo(ComputePrecision.FP32);
    assertThat(ExpertPrecision.resolve("auto", 1)).isEqualTo(ComputePrecision.FP16);
    assertThat(ExpertPrecision.resolve("FP16", 0)).isEqualTo(ComputePrecision.FP16);
    assertThat(ExpertPrecision.resolve("fp32", 8)).isEqualTo(ComputePrecision.FP32);
    assertThatThrownBy(() -> ExpertPrecision.resolve("bf16", 1))
        .hasMessageContaining("--precision");
  }

  private static void copyWeights(Block from, Block to) {
    NDIndex all = new NDIndex("...");
    for (Pair<String, Parameter> p : to.getParameters()) {
      p.getValue().getArray().set(all, from.getParameters().get(p.getKey()).getArray());
    }
  }

  private static double relativeError(float[] reference, float[] other) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < reference.length; i++) {
      diff += (reference[i] - other[i]) * (double) (reference[i] - other[i]);
      norm += reference[i] * (double) reference[i];
    }
    return Math.sqrt(diff / norm);
  }
}
