package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import dev.archipelago.testfixtures.TrainerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A latent run with an encode stage against the real API server: the encode Job runs alone (phase
 * Encoding), the partition starts only once the encode report is in storage and its pod succeeded,
 * and status.encode keeps its success.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class LatentRunIT {
  private static final String LATENT_DATASET =
      "{uri: 's3://datasets/imagenet-256/', imageSize: 256, format: latents,"
          + " latents: {channels: 4, size: 32, scalingFactor: 0.18215},"
          + " encode: {encoderUri: 's3://models/sd-vae-encoder.pt'}}";

  @Test
  void theEncodeStageRunsBeforeThePartitionAndItsSuccessIsKept(TestCluster cluster, EmbeddedS3 s3)
      throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("latent-a", 2, null);
      scenario.startOperator();
      scenario.createRunOf(
          "latent",
          2,
          LATENT_DATASET,
          "  inference: {decoderUri: 's3://models/sd-vae-decoder.pt'}\n");

      DDMRun encoding =
          scenario.awaitRun(
              "latent", "Encoding", r -> r.getStatus().getPhase() == RunPhase.Encoding);
      Pod encode = scenario.awaitRunningPod("latent", Role.ENCODE, null, 1);
      assertThat(RunScenario.env(encode, "ARCHIPELAGO_ROLE")).isEqualTo("encode");
      assertThat(encoding.getStatus().getPartition().getMessage())
          .isEqualTo("waiting for the encode stage");
      assertThat(scenario.jobs("latent", Role.PARTITION)).isEmpty();

      new TrainerFixture(s3, encoding).writeEncodeReport(4, 5000);
      cluster.pods().succeed(encode.getMetadata().getName());

      DDMRun partitioning =
          scenario.awaitRun(
              "latent", "Partitioning", r -> r.getStatus().getPhase() == RunPhase.Partitioning);
      assertThat(partitioning.getStatus().getEncode().getPhase()).isEqualTo(WorkerPhase.Succeeded);
      scenario.completePartition(partitioning, 2);
      DDMRun training =
          scenario.awaitRun(
              "latent", "Training", r -> r.getStatus().getPhase() == RunPhase.Training);
      assertThat(training.getStatus().getEncode().getPhase()).isEqualTo(WorkerPhase.Succeeded);
      assertThat(scenario.jobs("latent", Role.EXPERT)).hasSize(2);
    }
  }
}
