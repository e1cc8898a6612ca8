package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScalerTest {
  @Test
  void fp16StartsHighHalvesOnOverflowAndDoublesAfterTheGrowthIntervalOfCleanSteps() {
    LossScaler scaler = LossScaler.forPrecision(ComputePrecision.FP16);
    assertThat(scaler.isDynamic()).isTrue();
    assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE);

    assertThat(scaler.accept(false)).isFalse();
    assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE / 2);
    assertThat(scaler.skippedSteps()).isEqualTo(1);

    for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
      assertThat(scaler.accept(true)).isTrue();
    }
    assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE / 2);
    assertThat(scaler.accept(true)).isTrue();
    assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE);
  }

  @Test
  void anOverflowResetsTheCleanStepCount() {
    LossScaler scaler = LossScaler.forPrecision(ComputePrecision.FP16);
    for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
      scaler.accept(true);
    }
    scaler.accept(false);
    scaler.accept(true);
    assertThat(scaler.scale()).isEqualTo(LossScaler.INITIAL_SCALE / 2);
    assertThat(scaler.exportState().cleanSteps()).isEqualTo(1);
  }

  @Test
  void overflowingAtScaleOneFailsInsteadOfSkippingForever() {
    LossScaler scaler = LossScaler.forPrecision(ComputePrecision.FP16);
    // 2^16 halves to 1 in 16 skipped steps; the 17th overflow has nothing left to back off.
    for (int i = 0; i < 16; i++) {
      assertThat(scaler.accept(false)).isFalse();
    }
    assertThat(scaler.scale()).isEqualTo(1);
    assertThatThrownBy(() -> scaler.accept(false))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("loss scale 1")
        .hasMessageContaining("16 skipped steps");
  }

  @Test
  void fp32NeverScalesOrSkips() {
    LossScaler scaler = LossScaler.forPrecision(ComputePrecision.FP32);
    assertThat(scaler.isDynamic()).isFalse();
    assertThat(scaler.accept(false)).isTrue();
    assertThat(scaler.scale()).isEqualTo(1);
  }

  @Test
  void stateRoundTripsAndABadScaleIsRefused() {
    LossScaler first = LossScaler.forPrecision(ComputePrecision.FP16);
    first.accept(false);
    first.accept(true);
    LossScaler second = LossScaler.forPrecision(ComputePrecision.FP16);
    second.importState(first.exportState());
    assertThat(second.exportState()).isEqualTo(first.exportState());

    assertThatThrownBy(() -> second.importState(new LossScaler.State(0, 0, 0)))
        .hasMessageContaining("loss scale");
  }
}
