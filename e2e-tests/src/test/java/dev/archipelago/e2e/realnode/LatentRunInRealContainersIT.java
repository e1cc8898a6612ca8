package dev.archipelago.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.RealNode;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testcluster.TestClusters;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.minio.UploadObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A latent run in real containers: the trainer image's encode pod loads the user's TorchScript VAE
 * encoder from the object store (the shapes autoencoder the trainer's tests ship) and writes latent
 * shards, the experts and router train on 4 × 8 × 8 latents, and the serving pod decodes samples
 * with the VAE decoder into 32 px PNGs.
 */
@Tag(RealNode.TAG)
@ExtendWith(TestClusterExtension.class)
class LatentRunInRealContainersIT {
  private static final Logger LOG = LoggerFactory.getLogger(LatentRunInRealContainersIT.class);
  private static final Path VAE = Path.of("../trainer-image/src/test/resources/vae");
  private static final int PIXELS = 32;

  @Test
  void theEncodePodTheExpertsAndServingWorkInLatentSpace(TestCluster cluster) throws Exception {
    TestClusters.realNode();
    KubernetesClient client = cluster.client();
    RealRuns.enforceRestricted(client, cluster.namespace());
    try (EmbeddedS3 s3 = new EmbeddedS3(RealNode.HOST_ADDRESS_FOR_PODS)) {
      s3.createBucket("models");
      for (String half : List.of("shapes-encoder.pt", "shapes-decoder.pt")) {
        assertThat(VAE.resolve(half)).isRegularFile();
        s3.client()
            .uploadObject(
                UploadObjectArgs.builder()
                    .bucket("models")
                    .object("vae/" + half)
                    .filename(VAE.resolve(half).toString())
                    .build());
      }
      RealRuns.awaitOperatorReady(client, RealRuns.installOperator(cluster));
      String island = RealRuns.createIsland(client, cluster.namespace());
      long applied = System.nanoTime();
      DDMRun run =
          RealRuns.applyRun(
              client,
              s3,
              island,
              "latent",
              RealRuns.RunSize.SHORT,
              "{uri: 'synthetic://shapes?samples=256&shardSize=128', imageSize: "
                  + PIXELS
                  + ", channels: 3, format: latents,"
                  + " latents: {channels: 4, size: 8, scalingFactor: 1.15},"
                  + " encode: {encoderUri: 's3://models/vae/shapes-encoder.pt'}}",
              "    decoderUri: s3://models/vae/shapes-decoder.pt\n");

      RealRuns.awaitPhase(client, run, RunPhase.Encoding, Duration.ofMinutes(2));
      DDMRun serving = RealRuns.awaitPhase(client, run, RunPhase.Serving, Duration.ofMinutes(15));
      LOG.info("latent run: apply -> Serving {} s", (System.nanoTime() - applied) / 1_000_000_000);
      assertThat(serving.getStatus().getEncode().getPhase()).isEqualTo(WorkerPhase.Succeeded);
      Pod encode =
          client
              .pods()
              .withLabel(Labels.RUN, "latent")
              .withLabel(Labels.ROLE, Role.ENCODE.label())
              .list()
              .getItems()
              .get(0);
      assertThat(client.pods().resource(encode).getLog())
          .contains("encoded 256 samples of 2 shards")
          .contains("s3://models/vae/shapes-encoder.pt (32 px to 4x8x8)");

      RealRuns.awaitInferenceReady(client, run);
      try (LocalPortForward forward =
          client
              .services()
              .withName(serving.getStatus().getInference().getServiceName())
              .portForward(8080)) {
        String base = "http://127.0.0.1:" + forward.getLocalPort();
        for (String png :
            RealRuns.generate(
                base, "{\"count\": 2, \"seed\": 3, \"steps\": 4, \"format\": \"json\"}")) {
          var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
          assertThat(image.getWidth()).as("decoded, not the 8 px latent").isEqualTo(PIXELS);
          assertThat(image.getHeight()).isEqualTo(PIXELS);
        }
      }
    }
  }
}
