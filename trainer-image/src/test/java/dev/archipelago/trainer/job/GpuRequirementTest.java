package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import dev.archipelago.api.contract.PodEnv;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs against the real engine, which on the CI machine has the CPU build and no GPU. */
class GpuRequirementTest {

  @Test
  void aTaskGivenAGpuTheEngineCannotSeeFailsNamingTheImagesNativeBuild() {
    Engine engine = Engine.getInstance();
    assumeThat(engine.getGpuCount()).as("a machine with a GPU cannot show this").isZero();

    assertThatThrownBy(() -> GpuRequirement.check(1, engine, Map.of()))
        .isInstanceOf(BadConfigException.class)
        .hasMessageContaining("given 1 GPU(s)")
        .hasMessageContaining("the 'cpu' build of its native library")
        .hasMessageContaining("will not train on the CPU");
    assertThatThrownBy(() -> GpuRequirement.check(Map.of(PodEnv.GPUS, "2")))
        .isInstanceOf(BadConfigException.class);
  }

  @Test
  void aCudaBuildThatSeesNoGpuBlamesTheNode() {
    Engine engine = Engine.getInstance();
    assumeThat(engine.getGpuCount()).isZero();

    assertThatThrownBy(() -> GpuRequirement.check(1, engine, Map.of("PYTORCH_FLAVOR", "cu128")))
        .hasMessageContaining("CUDA build 'cu128'")
        .hasMessageContaining("NVIDIA driver or device plugin");
  }

  @Test
  void aTaskGivenNoGpuTrainsOnTheCpu() {
    assertThatCode(() -> GpuRequirement.check(0, Engine.getInstance(), Map.of()))
        .doesNotThrowAnyException();
    assertThatCode(() -> GpuRequirement.check(Map.of(PodEnv.GPUS, "0"))).doesNotThrowAnyException();
    // `local run` and older operators set nothing: no GPU is required.
    assertThatCode(() -> GpuRequirement.check(Map.of())).doesNotThrowAnyException();
  }

  @Test
  void aMalformedGpuCountIsABadConfig() {
    assertThat(GpuRequirement.held(Map.of(PodEnv.GPUS, " 3 "))).isEqualTo(3);
    assertThatThrownBy(() -> GpuRequirement.held(Map.of(PodEnv.GPUS, "one")))
        .isInstanceOf(BadConfigException.class)
        .hasMessageContaining(PodEnv.GPUS);
    assertThatThrownBy(() -> GpuRequirement.held(Map.of(PodEnv.GPUS, "-1")))
        .isInstanceOf(BadConfigException.class);
  }
}
