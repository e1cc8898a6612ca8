package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.RunConfig;
import org.junit.jupiter.api.Test;

class LocalRunConfigTest {
  private static final String ENDPOINT = "http://127.0.0.1:9";

  @Test
  void theUidIsAFunctionOfNamespaceAndNameSoARerunFindsItsCheckpoints() {
    RunConfig first = build(TestManifests.twoExperts(), "team-a");
    RunConfig again = build(TestManifests.twoExperts(), "team-a");
    RunConfig elsewhere = build(TestManifests.twoExperts(), "team-b");

    assertThat(first.uid()).isEqualTo(again.uid()).startsWith("local-").hasSize(18);
    assertThat(elsewhere.uid()).isNotEqualTo(first.uid());
    assertThat(first.storage().runPrefix())
        .isEqualTo("tests/team-a/two-experts/" + first.uid() + "/");
    assertThat(first.hash()).isEqualTo(again.hash());
  }

  @Test
  void storagePointsAtTheLocalEndpointWithTheManifestsBucket() {
    RunConfig config = build(TestManifests.twoExperts(), "default");

    assertThat(config.storage().endpoint()).isEqualTo(ENDPOINT);
    assertThat(config.storage().bucket()).isEqualTo("runs");
    assertThat(config.storage().pathStyle()).isTrue();
    assertThat(config.experts()).isEqualTo(2);
    // What the manifest leaves out is the CRD's default, as the API server would fill it in.
    assertThat(config.training().getPrecision().name()).isEqualTo("FP32");
    assertThat(config.router().getPreset().name()).isEqualTo("TINY");
  }

  @Test
  void aManifestWithoutStorageUsesTheDefaultBucket() {
    String text =
        TestManifests.edited(
            "  storage:\n"
                + "    endpoint: http://minio.minio.svc:9000\n"
                + "    bucket: runs\n"
                + "    prefix: tests\n"
                + "    credentialsSecretRef:\n"
                + "      name: test-s3\n",
            "");

    assertThat(build(text, "default").storage().bucket()).isEqualTo("archipelago");
  }

  @Test
  void crossFieldRulesOfTheCrdNameTheirField() {
    assertRejected(TestManifests.edited("imageSize: 16", "imageSize: 15"), "spec.model.patchSize");
    assertRejected(
        TestManifests.edited("    topK: 2\n", "    topK: 3\n"), "spec.inference.topK must be 1 to");
    assertRejected(
        TestManifests.edited("  model:\n", "  model:\n    preset: tiny\n"),
        "spec.model must set either spec.model.preset or");
    assertRejected(TestManifests.edited("width: 32", "width: 33"), "spec.model.width");
    assertRejected(TestManifests.edited("fineClusters: 16", "fineClusters: 1"), "fineClusters");
  }

  @Test
  void whatTheTrainerWouldRejectIsRejectedUpFrontWithTheFieldNamed() {
    assertRejected(TestManifests.edited("    heads: 2\n", "    heads: 3\n"), "spec.model");
    assertRejected(
        TestManifests.edited("synthetic://shapes?", "synthetic://circles?"), "spec.dataset.uri");
  }

  private static RunConfig build(String text, String namespace) {
    DDMRun run = ManifestReader.parse(text, "test.yaml").run();
    return LocalRunConfig.build(run, namespace, ENDPOINT, true);
  }

  private static void assertRejected(String text, String message) {
    assertThatThrownBy(() -> build(text, "default"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(message);
  }
}
