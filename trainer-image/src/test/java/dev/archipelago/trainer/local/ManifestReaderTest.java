package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.api.spec.InferenceStrategy;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

  @Test
  void takesTheOneDdmRunOfAMultiDocumentManifestAndNotesTheOthers() {
    Manifest manifest = ManifestReader.parse(TestManifests.twoExperts(), "two-experts.yaml");

    assertThat(manifest.run().getMetadata().getName()).isEqualTo("two-experts");
    assertThat(manifest.run().getSpec().getPartitioning().getExperts()).isEqualTo(2);
    assertThat(manifest.run().getSpec().getInference().getStrategy())
        .isEqualTo(InferenceStrategy.TOPK);
    // Fields the manifest leaves out carry the CRD's defaults.
    assertThat(manifest.run().getSpec().getModel().getPatchSize()).isEqualTo(2);
    assertThat(manifest.run().getSpec().getTraining().getWarmupSteps()).isZero();
    assertThat(manifest.notes())
        .hasSize(2)
        .anySatisfy(n -> assertThat(n).contains("ComputeIsland test-pool"))
        .anySatisfy(n -> assertThat(n).contains("Secret test-s3"));
  }

  @Test
  void aManifestWithoutADdmRunOrWithTwoIsRejected() {
    String islandOnly = TestManifests.twoExperts().split("\n---\n")[0];
    assertThatThrownBy(() -> ManifestReader.parse(islandOnly, "island.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("island.yaml holds 0 DDMRun documents")
        .hasMessageContaining("exactly one");

    String twoRuns = TestManifests.twoExperts() + "\n---\n" + runDocument();
    assertThatThrownBy(() -> ManifestReader.parse(twoRuns, "two.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("holds 2 DDMRun documents");
  }

  @Test
  void aMisspeltFieldIsNamedWithItsPath() {
    String text = TestManifests.edited("    learningRate: 0.001", "    learningrate: 0.001");

    assertThatThrownBy(() -> ManifestReader.parse(text, "m.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("document 3")
        .hasMessageContaining("spec.training.learningrate: unknown field 'learningrate'");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsPath() {
    String text = TestManifests.edited("    steps: 30", "    steps: thirty");

    assertThatThrownBy(() -> ManifestReader.parse(text, "m.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("spec.training.steps: invalid value 'thirty'");
  }

  @Test
  void anUnknownEnumValueListsTheAcceptedOnes() {
    String text = TestManifests.edited("strategy: topk", "strategy: best");

    assertThatThrownBy(() -> ManifestReader.parse(text, "m.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("spec.inference.strategy: invalid value 'best'")
        .hasMessageContaining("[top1, topk, full, sample]");
  }

  @Test
  void invalidYamlIsReportedAsSuch() {
    assertThatThrownBy(() -> ManifestReader.parse("kind: DDMRun\n  spec: [", "bad.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("bad.yaml is not valid YAML");
  }

  private static String runDocument() {
    String[] documents = TestManifests.twoExperts().split("\n---\n");
    return documents[documents.length - 1];
  }
}
