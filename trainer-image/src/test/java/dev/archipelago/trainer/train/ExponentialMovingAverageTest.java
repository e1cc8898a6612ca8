package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class ExponentialMovingAverageTest {

  @Test
  void averagesWeightsWithTheConfiguredDecayStartingFromTheInitialWeights() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      p.setArray(manager.create(new float[] {1f, 2f}));
      PairList<String, Parameter> params = new PairList<>();
      params.add("w", p);

      try (ExponentialMovingAverage ema = new ExponentialMovingAverage(0.9, params, manager)) {
        p.getArray().set(new float[] {3f, -2f});
        ema.update(params);
        p.getArray().set(new float[] {5f, 0f});
        ema.update(params);

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
