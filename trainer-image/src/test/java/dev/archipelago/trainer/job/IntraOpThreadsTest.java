package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {
  private String saved;

  @BeforeEach
  void clear() {
    saved = System.clearProperty(IntraOpThreads.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(IntraOpThreads.PROPERTY);
    } else {
      System.setProperty(IntraOpThreads.PROPERTY, saved);
    }
  }

  @Test
  void theContainersCpuLimitSizesThePool() {
    assertThat(IntraOpThreads.configure(Map.of("OMP_NUM_THREADS", "3"))).isEqualTo(3);
    assertThat(System.getProperty(IntraOpThreads.PROPERTY)).isEqualTo("3");
  }

  @Test
  void withoutALimitTheJvmsProcessorCountStandsIn() {
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(IntraOpThreads.configure(Map.of("OMP_NUM_THREADS", "many"))).isEqualTo(cpus);
    assertThat(System.getProperty(IntraOpThreads.PROPERTY)).isEqualTo("" + cpus);
  }

  @Test
  void anExplicitSettingWins() {
    System.setProperty(IntraOpThreads.PROPERTY, "2");
    assertThat(IntraOpThreads.configure(Map.of("OMP_NUM_THREADS", "8"))).isEqualTo(2);
  }
}
