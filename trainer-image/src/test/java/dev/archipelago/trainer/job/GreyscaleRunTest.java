package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.ModelLoader;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset.channels: 1}: the shapes are read as grey, and every model takes one plane. */
class GreyscaleRunTest {
  @TempDir Path scratch;

  @Test
  void aOneChannelRunPartitionsTrainsAndLoadsOneChannelModels() throws Exception {
    try (EmbeddedS3 s3 = new EmbeddedS3()) {
      s3.createBucket(TestRun.BUCKET);
      RunConfig config = TestRun.small().uid("grey").channels(1).config(s3);
      try (S3Buckets buckets = new S3Buckets(s3.settings())) {
        for (Task task :
            List.of(Task.of(Role.PARTITION, 1), Task.expert(0, 1), Task.of(Role.ROUTER, 1))) {
          assertThat(
                  TaskRunner.run(TestRun.context(config, task, buckets, scratch, StopSignal.NEVER)))
              .as(task.toString())
              .isEqualTo(ExitCodes.OK);
        }
        assertThat(ModelConfigs.expert(config).inChannels()).isEqualTo(1);
        try (NDManager manager = NDManager.newBaseManager()) {
          ModelLoader loader =
              new ModelLoader(config, buckets.forBucket(TestRun.BUCKET), scratch, manager);
          DjlExpert expert = loader.expert(0, null).model();
          assertThat(expert.model().config().inChannels()).isEqualTo(1);
          assertThat(loader.router(null).step()).isEqualTo(8);
        }
      }
    }
  }
}
