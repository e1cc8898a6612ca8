package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.archipelago.api.spec.Sampler;
import org.junit.jupiter.api.Test;

class FlowSamplerTest {
  private static final ImageShape SHAPE = new ImageShape(1, 1);

  @Test
  void aConstantVelocityCarriesNoiseToNoiseMinusVelocity() {
    float[] noise = {0.5f, -1.5f};
    VelocityModel constant = q -> new float[] {0.25f, -0.75f};
    for (Sampler method : Sampler.values()) {
      float[] x = FlowSampler.sample(constant, method, SHAPE, noise, null, 1f, 7);
      assertThat(x[0]).isCloseTo(0.25f, within(1e-5f));
      assertThat(x[1]).isCloseTo(-0.75f, within(1e-5f));
    }
  }

  @Test
  void heunIsSecondOrderWhereEulerIsFirstOrder() {
    // dx/dt = x from t = 1 to 0: x(0) = x(1)·e^-1.
    VelocityModel growth = q -> q.x().clone();
    float[] start = {1f};
    double exact = Math.exp(-1);
    double euler =
        Math.abs(FlowSampler.sample(growth, Sampler.EULER, SHAPE, start, null, 1f, 20)[0] - exact);
    double heun =
        Math.abs(FlowSampler.sample(growth, Sampler.HEUN, SHAPE, start, null, 1f, 20)[0] - exact);
    assertThat(euler).isGreaterThan(1e-3);
    // The last step is Euler's, so Heun's error is that one step's: still an order below.
    assertThat(heun).isLessThan(euler / 10);
  }

  @Test
  void heunEvaluatesTwicePerStepButTheLastWhichIsEulersSoNoModelIsAskedAboutTimeZero() {
    java.util.List<Float> times = new java.util.ArrayList<>();
    VelocityModel recording =
        q -> {
          times.add(q.t()[0]);
          return new float[q.x().length];
        };
    FlowSampler.sample(recording, Sampler.HEUN, SHAPE, new float[] {0f}, null, 1f, 4);
    assertThat(times).containsExactly(1f, 0.75f, 0.75f, 0.5f, 0.5f, 0.25f, 0.25f);
  }
}
