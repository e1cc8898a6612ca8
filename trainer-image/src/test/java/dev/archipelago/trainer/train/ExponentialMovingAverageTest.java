package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class ExponentialMovingAverageTest {

  @Test
  void warmsUpFromAShortAverageToTheConfiguredDecay() {
    try (NDManager manager = NDManager.newBaseManager()) {
      try (ExponentialMovingAverage ema =
          new ExponentialMovingAverage(0.9999, new PairList<>(), manager)) {
        assertThat(ema.decayAt(0)).isEqualTo(0.1);
        assertThat(ema.decayAt(90)).isCloseTo(0.91, within(1e-12));
        // After 700 steps the average spans about the last 70, not the initial weights.
        assertThat(ema.decayAt(700)).isCloseTo(701.0 / 710, within(1e-12));
        assertThat(ema.decayAt(100_000_000)).isEqualTo(0.9999);
      }
    }
  }

  @Test
  void averagesWeightsWithTheConfiguredDecayOnceWarm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      p.setArray(manager.create(new float[] {1f, 2f}));
      PairList<String, Parameter> params = new PairList<>();
      params.add("w", p);

      try (ExponentialMovingAverage ema = new ExponentialMovingAverage(0.9, params, manager)) {
        p.getArray().set(new float[] {3f, -2f});
        // Past the warm-up ((1 + n) / (10 + n) ≥ 0.9 from n = 80) the decay is β.
        ema.update(params, 1000);
        p.getArray().set(new float[] {5f, 0f});
        ema.update(params, 1001);

        float[] avg = ema.get("w").toFloatArray();
        // 0.9·(0.9·1 + 0.1·3) + 0.1·5 = 1.58 ; 0.9·(0.9·2 + 0.1·(−2)) + 0.1·0 = 1.44
        assertThat((double) avg[0]).isCloseTo(1.58, within(1e-6));
        assertThat((double) avg[1]).isCloseTo(1.44, within(1e-6));

        ema.importState(ema.exportState());
        assertThat(ema.get("w").toFloatArray()).isEqualTo(avg);
      }
    }
  }
}
