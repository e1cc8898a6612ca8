package dev.archipelago.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.SampleRuns;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission by a real API server: schema bounds, enums, patterns and CEL rules of the generated
 * CRDs, with no webhook. Each invalid manifest must be refused with 422 and a message that names
 * the field, so that a user who reads it knows what to fix.
 */
@ExtendWith(TestClusterExtension.class)
class DdmRunValidationIT {
  private static final Logger LOG = LoggerFactory.getLogger(DdmRunValidationIT.class);
  private static final String VALID_RUN = "valid-ddmrun.yaml";

  static Stream<InvalidManifest> invalidRuns() {
    return InvalidDdmRuns.all().stream();
  }

  static Stream<InvalidManifest> invalidIslands() {
    return InvalidComputeIslands.all().stream();
  }

  static Stream<InvalidManifest> changesThatWouldOrphanTrainedExperts() {
    return Stream.of(
        new InvalidManifest(
            "rejects pointing an existing run at another dataset",
            VALID_RUN,
            m -> m.set("/spec/dataset/uri", "s3://datasets/other/"),
            "spec.dataset",
            "is immutable"),
        new InvalidManifest(
            "rejects changing the number of experts of an existing run",
            VALID_RUN,
            m -> m.set("/spec/partitioning/experts", 8),
            "spec.partitioning",
            "is immutable"),
        new InvalidManifest(
            "rejects changing the model of an existing run",
            VALID_RUN,
            m -> m.set("/spec/model/preset", "S"),
            "spec.model",
            "is immutable"),
        new InvalidManifest(
            "rejects moving an existing run to another bucket",
            VALID_RUN,
            m -> m.set("/spec/storage/bucket", "elsewhere"),
            "spec.storage.bucket",
            "is immutable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRuns")
  void theApiServerRejectsAnInvalidRunNamingTheField(InvalidManifest invalid, TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    GenericKubernetesResource run = resource(client, invalid.manifest());

    assertRejected(() -> ArchipelagoCrds.runs(client).resource(run).create(), invalid);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidIslands")
  void theApiServerRejectsAnInvalidIslandNamingTheField(
      InvalidManifest invalid, TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    // Islands are cluster-scoped: a unique name keeps cases apart on the shared cluster.
    GenericKubernetesResource island =
        resource(client, invalid.manifest().name(cluster.namespace()));
    try {
      assertRejected(() -> ArchipelagoCrds.islands(client).resource(island).create(), invalid);
    } finally {
      ArchipelagoCrds.islands(client).withName(cluster.namespace()).delete();
    }
  }

  @Test
  void acceptsAValidRunAndFillsInTheSameDefaultsAsTheJavaModel(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    Manifest manifest = Manifest.load(VALID_RUN);

    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client).resource(resource(client, manifest)).create();

    KubernetesSerialization json = client.getKubernetesSerialization();
    DDMRun asSent = json.convertValue(manifest.json(), DDMRun.class);
    DDMRun asStored = json.convertValue(created, DDMRun.class);
    assertThat(asStored.getSpec().getTraining().getBatchSize()).isEqualTo(64);
    assertThat(asStored.getSpec().getStorage().getPrefix()).isEqualTo("archipelago");
    assertThat(asStored.getSpec().getFailurePolicy().getCountDisruptions()).isFalse();
    assertThat(asStored.getSpec())
        .as("server-side defaults equal the Java initializers")
        .isEqualTo(asSent.getSpec());
  }

  @Test
  void acceptsALatentRunWithAnEncodeStageAndFillsInItsDefaults(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    Manifest manifest =
        Manifest.load(VALID_RUN)
            .name("latent-run")
            .set("/spec/dataset/imageSize", 256)
            .set("/spec/dataset/format", "latents")
            .set("/spec/dataset/latents", Map.of("channels", 4, "size", 32))
            .set("/spec/dataset/encode", Map.of("encoderUri", "s3://models/vae-encoder.pt"))
            .set("/spec/inference/decoderUri", "s3://models/vae-decoder.pt");

    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client).resource(resource(client, manifest)).create();

    DDMRun stored = client.getKubernetesSerialization().convertValue(created, DDMRun.class);
    assertThat(stored.getSpec().getDataset().trainsOnLatents()).isTrue();
    assertThat(stored.getSpec().getDataset().getLatents().getKey()).isEqualTo("latent.npy");
    assertThat(stored.getSpec().getDataset().getLatents().getScalingFactor()).isEqualTo(1.0);
    assertThat(stored.getSpec().getDataset().getEncode().getBatchSize()).isEqualTo(16);
  }

  @Test
  void acceptsAGaussianMixtureOfLatents(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    Manifest manifest =
        Manifest.load(VALID_RUN)
            .name("gmm")
            .set("/spec/dataset/uri", "synthetic://gmm?components=4&separation=2.5&samples=20000")
            .set("/spec/dataset/format", "latents")
            .set("/spec/dataset/latents", Map.of("channels", 1, "size", 4))
            // Its latents are the data: no VAE decodes them, so it is measured, not served.
            .set("/spec/inference/enabled", false);

    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client).resource(resource(client, manifest)).create();

    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void acceptsARunThatDistilsAndServesItsStudentAndFillsInTheDefaults(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    Manifest manifest =
        Manifest.load(VALID_RUN)
            .name("student-run")
            .set("/spec/distillation", Map.of("enabled", true, "preset", "S"))
            .set("/spec/inference/model", "student");

    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client).resource(resource(client, manifest)).create();

    DDMRun stored = client.getKubernetesSerialization().convertValue(created, DDMRun.class);
    assertThat(stored.getSpec().getDistillation().distils()).isTrue();
    assertThat(stored.getSpec().getDistillation().getSteps()).isEqualTo(20_000L);
    assertThat(stored.getSpec().getDistillation().getStrategy())
        .isEqualTo(dev.archipelago.api.spec.InferenceStrategy.TOP1);
    assertThat(stored.getSpec().getInference().servesStudent()).isTrue();
  }

  @Test
  void acceptsAOneExpertMonolith(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    Manifest manifest =
        Manifest.load(VALID_RUN).name("monolith").set("/spec/partitioning/experts", 1);

    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client).resource(resource(client, manifest)).create();

    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void acceptsAValidIsland(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    Manifest manifest = Manifest.load("valid-computeisland.yaml").name(cluster.namespace());
    try {
      GenericKubernetesResource created =
          ArchipelagoCrds.islands(client).resource(resource(client, manifest)).create();

      assertThat(created.getMetadata().getUid()).isNotBlank();
    } finally {
      ArchipelagoCrds.islands(client).withName(cluster.namespace()).delete();
    }
  }

  @Test
  void acceptsTheQuickstartExample(TestCluster cluster) {
    acceptsExample(cluster, "quickstart.yaml", "quickstart");
  }

  @Test
  void acceptsTheLatentImageNetExample(TestCluster cluster) {
    acceptsExample(cluster, "imagenet-latents.yaml", "imagenet-latents");
  }

  private static void acceptsExample(TestCluster cluster, String file, String run) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    List<String> islands = new ArrayList<>();
    try {
      for (JsonNode doc : SampleRuns.documents("../examples/" + file)) {
        GenericKubernetesResource object = resource(client, doc);
        switch (object.getKind()) {
          case "ComputeIsland" -> {
            ArchipelagoCrds.islands(client).resource(object).createOr(e -> e.update());
            islands.add(object.getMetadata().getName());
          }
          case "DDMRun" -> ArchipelagoCrds.runs(client).resource(object).create();
          default -> client.resource(object).inNamespace(cluster.namespace()).create();
        }
      }

      assertThat(ArchipelagoCrds.runs(client).withName(run).get()).isNotNull();
    } finally {
      islands.forEach(name -> ArchipelagoCrds.islands(client).withName(name).delete());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changesThatWouldOrphanTrainedExperts")
  void rejectsChangesThatWouldOrphanTrainedExperts(InvalidManifest change, TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client)
            .resource(resource(client, Manifest.load(change.base())))
            .create();

    GenericKubernetesResource changed = resource(client, change.edit().apply(Manifest.of(created)));

    assertRejected(() -> ArchipelagoCrds.runs(client).resource(changed).update(), change);
  }

  @Test
  void acceptsSuspendingARunAndGivingItMoreSteps(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ArchipelagoCrds.install(client);
    GenericKubernetesResource created =
        ArchipelagoCrds.runs(client).resource(resource(client, Manifest.load(VALID_RUN))).create();

    GenericKubernetesResource changed =
        resource(
            client,
            Manifest.of(created).set("/spec/suspend", true).set("/spec/training/steps", 600));
    GenericKubernetesResource updated = ArchipelagoCrds.runs(client).resource(changed).update();

    DDMRun run = client.getKubernetesSerialization().convertValue(updated, DDMRun.class);
    assertThat(run.getSpec().getSuspend()).isTrue();
    assertThat(run.getSpec().getTraining().getSteps()).isEqualTo(600L);
  }

  private static void assertRejected(ThrowingCallable call, InvalidManifest invalid) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown)
        .as("the API server accepted a manifest that %s", invalid.sentence())
        .isNotNull();
    assertThat(thrown).isInstanceOf(KubernetesClientException.class);
    KubernetesClientException rejection = (KubernetesClientException) thrown;
    String message =
        rejection.getStatus() != null ? rejection.getStatus().getMessage() : rejection.getMessage();
    assertThat(rejection.getCode()).as("HTTP status of: %s", message).isEqualTo(422);
    assertThat(message).contains(invalid.field()).contains(invalid.reason());
    LOG.info("{}: {}", invalid.sentence(), message);
  }

  private static GenericKubernetesResource resource(KubernetesClient client, Manifest manifest) {
    return resource(client, manifest.json());
  }

  private static GenericKubernetesResource resource(KubernetesClient client, JsonNode json) {
    return client.getKubernetesSerialization().convertValue(json, GenericKubernetesResource.class);
  }
}
