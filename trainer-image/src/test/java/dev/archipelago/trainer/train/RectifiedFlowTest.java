package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RectifiedFlowTest {

  @Test
  void interpolatesFromDataAtZeroToNoiseAtOneWithVelocityNoiseMinusData() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x0 = manager.create(new float[] {1f, -1f}, new Shape(2, 1, 1, 1));
      NDArray eps = manager.create(new float[] {3f, 5f}, new Shape(2, 1, 1, 1));
      NDArray t = manager.create(new float[] {0f, 0.25f});

      float[] xt = RectifiedFlow.interpolate(x0, eps, t).toFloatArray();

      assertThat(xt[0]).isEqualTo(1f);
      assertThat(xt[1]).isEqualTo(0.75f * -1f + 0.25f * 5f);
      assertThat(RectifiedFlow.velocity(x0, eps).toFloatArray()).containsExactly(2f, 6f);
    }
  }

  @Test
  void theLogitNormalSamplerIsSymmetricAroundOneHalfAndStaysInsideTheInterval() {
    TimeSampler sampler = TimeSampler.fromName("logit-normal");
    SplittableRandom random = new SplittableRandom(1);
    int n = 20_000;
    int below = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float t = sampler.sample(random);
      assertThat(t).isStrictlyBetween(0f, 1f);
      below += t < 0.5f ? 1 : 0;
      sum += t;
    }
    assertThat(below / (double) n).isCloseTo(0.5, within(0.02));
    assertThat(sum / n).isCloseTo(0.5, within(0.01));
  }

  @Test
  void stepNoiseIsAPureFunctionOfSeedAndStep() {
    TimeSampler uniform = TimeSampler.uniform();
    int[] labels = {0, 1, 2, 3};
    StepNoise a = StepNoise.draw(9, 41, 4, 6, uniform, labels, 4, 0.5);
    StepNoise b = StepNoise.draw(9, 41, 4, 6, uniform, labels, 4, 0.5);
    StepNoise c = StepNoise.draw(9, 42, 4, 6, uniform, labels, 4, 0.5);

    assertThat(b.noise()).isEqualTo(a.noise());
    assertThat(b.times()).isEqualTo(a.times());
    assertThat(b.labels()).isEqualTo(a.labels());
    assertThat(c.noise()).isNotEqualTo(a.noise());
    for (int i = 0; i < labels.length; i++) {
      assertThat(a.labels()[i]).isIn((long) labels[i], 4L);
    }
  }
}
