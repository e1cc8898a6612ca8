package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during the partition task: exit code PREEMPTED, no partition written, retry completes.
 */
class PartitionPreemptionTest {
  @TempDir Path scratch;

  @Test
  void aStoppedPartitionExitsPreemptedAndItsRetryCompletes() throws Exception {
    try (EmbeddedS3 s3 = new EmbeddedS3()) {
      s3.createBucket(TestRun.BUCKET);
      RunConfig config = TestRun.small().uid("stop").config(s3);
      try (S3Buckets buckets = new S3Buckets(s3.settings())) {
        var store = buckets.forBucket(TestRun.BUCKET);
        StopSignal sigterm = step -> true;
        assertThat(TaskRunner.run(context(config, 1, buckets, sigterm)))
            .isEqualTo(ExitCodes.PREEMPTED);
        assertThat(store.read(config.layout().clusterSizes())).isEmpty();
        assertThat(store.read(config.layout().partitionReport())).isEmpty();

        assertThat(TaskRunner.run(context(config, 2, buckets, StopSignal.NEVER)))
            .isEqualTo(ExitCodes.OK);
        assertThat(store.read(config.layout().clusterSizes())).isPresent();
      }
    }
  }

  private JobContext context(RunConfig config, int attempt, S3Buckets buckets, StopSignal stop) {
    return TestRun.context(config, Task.of(Role.PARTITION, attempt), buckets, scratch, stop);
  }
}
