package dev.archipelago.testfixtures;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.contract.StorageLocation;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the trainer's side of the contract for operator tests: it writes exactly the objects a real
 * trainer writes (cluster sizes, progress reports), using the same contract classes, while the test
 * ends pods through kwok.
 */
public final class TrainerFixture {
  private final MinioClient s3;
  private final String bucket;
  private final StorageLayout layout;

  public TrainerFixture(EmbeddedS3 s3, DDMRun run) {
    this.s3 = s3.client();
    StorageLocation location =
        StorageLocation.of(
            run.getSpec().getStorage(),
            run.getMetadata().getNamespace(),
            run.getMetadata().getName(),
            run.getMetadata().getUid());
    this.bucket = location.bucket();
    this.layout = location.layout();
  }

  /**
   * The encode stage's report, written last by the trainer's encode task; the operator reads only
   * that it exists.
   */
  public void writeEncodeReport(int shards, long samples) {
    put(
        layout.encodeReport(),
        ("{\"shards\":"
                + shards
                + ",\"shardsReused\":0,\"samples\":"
                + samples
                + ",\"skipped\":{},\"seconds\":1.0}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Where the partition wrote clusters to islands' buckets, as the trainer records it. */
  public void writeClusterLocations(ClusterLocations locations) {
    put(layout.clusterLocations(), ContractJson.writeBytes(locations));
  }

  /** One object in another bucket, as a cluster shard written to an island's bucket. */
  public void writeObject(String otherBucket, String key, byte[] bytes) {
    put(otherBucket, key, bytes);
  }

  public void writeClusterSizes(int experts, long each) {
    List<Long> sizes = new ArrayList<>();
    for (int k = 0; k < experts; k++) {
      sizes.add(each + k);
    }
    put(layout.clusterSizes(), ContractJson.writeBytes(new ClusterSizes(sizes)));
  }

  /** The share of time waiting for data that the fixture's expert reports claim. */
  public static final double DATA_WAIT_FRACTION = 0.25;

  public void writeExpertProgress(
      int expert, int attempt, long step, long totalSteps, Long checkpoint) {
    writeExpertReport(expert, ProgressPhase.Training, attempt, step, totalSteps, checkpoint);
  }

  /** What a trainer writes after its final checkpoint: the durable marker of a finished expert. */
  public void writeExpertCompleted(int expert, int attempt, long steps) {
    writeExpertReport(expert, ProgressPhase.Completed, attempt, steps, steps, steps);
  }

  private void writeExpertReport(
      int expert, ProgressPhase phase, int attempt, long step, long totalSteps, Long checkpoint) {
    Progress progress =
        new Progress(
            phase,
            attempt,
            step,
            totalSteps,
            0.5 - step * 1e-4,
            128.0,
            (totalSteps - step) / 10,
            checkpoint,
            0,
            Instant.now(),
            null,
            null,
            DATA_WAIT_FRACTION);
    put(layout.expertProgress(expert), ContractJson.writeBytes(progress));
  }

  private void put(String key, byte[] bytes) {
    put(bucket, key, bytes);
  }

  private void put(String toBucket, String key, byte[] bytes) {
    try {
      s3.putObject(
          PutObjectArgs.builder().bucket(toBucket).object(key).stream(
                  new ByteArrayInputStream(bytes), bytes.length, -1)
              .contentType("application/json")
              .build());
    } catch (Exception e) {
      throw new IllegalStateException("cannot write " + key, e);
    }
  }
}
