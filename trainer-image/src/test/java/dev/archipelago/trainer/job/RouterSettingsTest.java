package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.RouterTimeSampling;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.train.TimeSampler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The router's own settings: an explicit layout and patch size (defaulting to the experts' patch),
 * its own learning rate, warm-up and EMA (defaulting to the experts'), and uniform training times
 * that reach the sampler's t = 1.
 */
class RouterSettingsTest {

  @Test
  void withNothingSetTheRouterIsATinyDitAtTheExpertsPatchWithTheExpertsOptimiserSettings() {
    RunConfig config = TestRun.small().dataset("synthetic://shapes", 32).config("http://s3");
    config.model().setPatchSize(4);

    DitConfig router = ModelConfigs.router(config);

    assertThat(router.patchSize()).as("the experts' patch, not always 2").isEqualTo(4);
    assertThat(router.depth()).isEqualTo(ModelConfigs.expert(tiny()).depth());
    assertThat(RouterSettings.learningRate(config)).isEqualTo(config.training().getLearningRate());
    assertThat(RouterSettings.warmupSteps(config)).isEqualTo(config.training().getWarmupSteps());
    assertThat(RouterSettings.ema(config)).isEqualTo(config.training().getEma());
  }

  @Test
  void anExplicitLayoutPatchAndOptimiserSettingsAreTheRoutersOwn() {
    RunConfig config = TestRun.small().dataset("synthetic://shapes", 32).config("http://s3");
    config.router().setDepth(2);
    config.router().setWidth(64);
    config.router().setHeads(4);
    config.router().setPatchSize(8);
    config.router().setLearningRate(3e-4);
    config.router().setWarmupSteps(7L);
    config.router().setEma(0.99);

    DitConfig router = ModelConfigs.router(config);

    assertThat(router.depth()).isEqualTo(2);
    assertThat(router.hiddenSize()).isEqualTo(64);
    assertThat(router.heads()).isEqualTo(4);
    assertThat(router.patchSize()).isEqualTo(8);
    assertThat(RouterSettings.learningRate(config)).isEqualTo(3e-4);
    assertThat(RouterSettings.optimizer(config).learningRate()).isEqualTo(3e-4);
    assertThat(RouterSettings.warmupSteps(config)).isEqualTo(7L);
    assertThat(RouterSettings.ema(config)).isEqualTo(0.99);
  }

  @Test
  void uniformTimesReachTheSamplersStartWhereLogitNormalHardlyGoes() {
    RunConfig config = TestRun.small().config("http://s3");
    TimeSampler uniform = RouterSettings.timeSampler(config.router());
    config.router().setTimeSampling(RouterTimeSampling.LOGIT_NORMAL);
    TimeSampler logitNormal = RouterSettings.timeSampler(config.router());
    SplittableRandom random = new SplittableRandom(1);
    int n = 200_000;
    int uniformAbove = 0;
    int logitAbove = 0;
    for (int i = 0; i < n; i++) {
      uniformAbove += uniform.sample(random) > 0.95f ? 1 : 0;
      logitAbove += logitNormal.sample(random) > 0.95f ? 1 : 0;
    }
    assertThat(uniformAbove / (double) n).isBetween(0.045, 0.055);
    // logit-normal(0, 1) puts 0.16 % of its mass above 0.95.
    assertThat(logitAbove / (double) n).isBetween(0.0010, 0.0025);
  }

  private static RunConfig tiny() {
    return TestRun.small().tinyPreset().dataset("synthetic://shapes", 32).config("http://s3");
  }
}
