package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParallelismTest {

  @Test
  void byDefaultEachCoreRunsAProcessAndTheCoresAreSharedEvenly() {
    assertThat(Parallelism.of(4, 2, null)).isEqualTo(new Parallelism(2, 1));
    assertThat(Parallelism.of(4, 8, null)).isEqualTo(new Parallelism(4, 2));
    assertThat(Parallelism.of(8, 4, null)).isEqualTo(new Parallelism(4, 1));
    assertThat(Parallelism.of(4, 16, null)).isEqualTo(new Parallelism(4, 4));
    assertThat(Parallelism.of(2, 1, null)).isEqualTo(new Parallelism(1, 1));
  }

  @Test
  void neverMoreDefaultProcessesThanExperts() {
    assertThat(Parallelism.of(2, 32, null)).isEqualTo(new Parallelism(2, 16));
  }

  @Test
  void anExplicitParallelismIsHonouredWithAtLeastOneThreadEach() {
    assertThat(Parallelism.of(4, 2, 3)).isEqualTo(new Parallelism(3, 1));
    assertThat(Parallelism.of(4, 8, 2)).isEqualTo(new Parallelism(2, 4));
    assertThatThrownBy(() -> Parallelism.of(4, 8, 0)).hasMessageContaining("--parallel");
  }
}
