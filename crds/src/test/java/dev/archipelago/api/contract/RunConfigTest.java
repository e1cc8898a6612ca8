package dev.archipelago.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.ModelPreset;
import org.junit.jupiter.api.Test;

class RunConfigTest {

  @Test
  void survivesAJsonRoundTripUnchanged() {
    RunConfig config = RunConfig.forRun(SampleRuns.quickstart());

    RunConfig read = RunConfig.fromJson(config.toJson());

    assertThat(read).isEqualTo(config);
    assertThat(read.toJson()).isEqualTo(config.toJson());
  }

  @Test
  void carriesTheRunIdentityExpertCountAndSchemaVersion() {
    RunConfig config = RunConfig.forRun(SampleRuns.quickstart());

    assertThat(config.runName()).isEqualTo("quickstart");
    assertThat(config.namespace()).isEqualTo("demo");
    assertThat(config.uid()).isEqualTo(SampleRuns.UID);
    assertThat(config.experts()).isEqualTo(4);
    assertThat(config.schemaVersion()).isEqualTo(RunConfig.SCHEMA_VERSION);
    assertThat(config.storage().runPrefix())
        .isEqualTo("quickstart/demo/quickstart/" + SampleRuns.UID + "/");
  }

  @Test
  void neverContainsTheCredentialsSecret() {
    String json = RunConfig.forRun(SampleRuns.quickstart()).toJson();

    assertThat(json).doesNotContain("quickstart-s3", "credentials", "AWS_");
  }

  @Test
  void hashIsStableAcrossSerialisationAndIgnoresTrainingSettings() {
    DDMRun run = SampleRuns.quickstart();
    String before = RunConfig.forRun(run).hash();

    run.getSpec().getTraining().setSteps(10_000L);
    run.getSpec().setSuspend(true);

    assertThat(RunConfig.forRun(run).hash())
        .isEqualTo(before)
        .isEqualTo(RunConfig.fromJson(RunConfig.forRun(run).toJson()).hash())
        .hasSize(16)
        .matches("[0-9a-f]+");
  }

  @Test
  void hashChangesWithTheDatasetThePartitioningOrTheModel() {
    String original = RunConfig.forRun(SampleRuns.quickstart()).hash();

    DDMRun otherData = SampleRuns.quickstart();
    otherData.getSpec().getDataset().setImageSize(64);
    DDMRun otherSplit = SampleRuns.quickstart();
    otherSplit.getSpec().getPartitioning().setSeed(7L);
    DDMRun otherModel = SampleRuns.quickstart();
    otherModel.getSpec().getModel().setPreset(ModelPreset.S);

    assertThat(RunConfig.forRun(otherData).hash()).isNotEqualTo(original);
    assertThat(RunConfig.forRun(otherSplit).hash()).isNotEqualTo(original);
    assertThat(RunConfig.forRun(otherModel).hash()).isNotEqualTo(original);
  }

  @Test
  void refusesAnExpertCountThatDisagreesWithThePartitioning() {
    RunConfig config = RunConfig.forRun(SampleRuns.quickstart());

    assertThatThrownBy(
            () ->
                new RunConfig(
                    config.schemaVersion(),
                    config.runName(),
                    config.namespace(),
                    config.uid(),
                    5,
                    config.dataset(),
                    config.partitioning(),
                    config.model(),
                    config.training(),
                    config.router(),
                    config.distillation(),
                    config.inference(),
                    config.storage()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitioning.experts");
  }

  @Test
  void aReaderIgnoresFieldsAddedByANewerWriter() {
    String json = RunConfig.forRun(SampleRuns.quickstart()).toJson();
    String newer = json.replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");

    assertThat(RunConfig.fromJson(newer)).isEqualTo(RunConfig.fromJson(json));
  }
}
