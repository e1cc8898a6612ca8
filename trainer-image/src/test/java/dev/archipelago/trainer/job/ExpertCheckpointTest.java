package dev.archipelago.trainer.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.CheckpointPointer;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.Precision;
import dev.archipelago.trainer.checkpoint.CheckpointManifest;
import dev.archipelago.trainer.checkpoint.ManifestEntry;
import dev.archipelago.trainer.checkpoint.TrainingCheckpoint;
import dev.archipelago.trainer.storage.CrashingObjectStore;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checkpoints of a real (tiny) expert on S3Proxy: exact resume, crashes while writing, corrupt
 * checkpoints and a changed config.
 *
 * <p>Determinism settings: CPU, two intra-op threads (surefire's config), one training thread;
 * PyTorch's CPU kernels are then deterministic for this model, and every random draw of a step is a
 * function of (seed, step), so equal state and equal inputs give equal bits.
 */
class ExpertCheckpointTest {
  private static final List<String> STATE_FILES =
      List.of(
          TrainingCheckpoint.WEIGHTS,
          TrainingCheckpoint.EMA,
          TrainingCheckpoint.OPTIMIZER,
          TrainingCheckpoint.STATE);

  private static EmbeddedS3 s3;
  private static S3Buckets buckets;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() throws Exception {
    s3 = new EmbeddedS3();
    s3.createBucket(TestRun.BUCKET);
    buckets = new S3Buckets(s3.settings());
  }

  @AfterAll
  static void stop() throws Exception {
    buckets.close();
    s3.close();
  }

  /** fp16 also carries the loss scaler's state across the stop (state.json compares it). */
  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP32", "FP16"})
  void stoppingAtStepNAndResumingGivesBitwiseTheStateOfAnUninterruptedRun(Precision precision)
      throws Exception {
    String name = precision.name().toLowerCase(java.util.Locale.ROOT);
    RunConfig straight = TestRun.small().precision(precision).uid("straight-" + name).config(s3);
    partition(straight);
    assertThat(train(straight, 1, StopSignal.NEVER)).isEqualTo(ExitCodes.OK);

    RunConfig resumed = TestRun.small().precision(precision).uid("resumed-" + name).config(s3);
    partition(resumed);
    assertThat(train(resumed, 1, step -> step >= 4)).isEqualTo(ExitCodes.PREEMPTED);
    assertThat(latest(resumed)).hasValueSatisfying(p -> assertThat(p.step()).isEqualTo(4));
    assertThat(train(resumed, 2, StopSignal.NEVER)).isEqualTo(ExitCodes.OK);

    for (String file : STATE_FILES) {
      assertThat(finalFile(resumed, file)).as(file).isEqualTo(finalFile(straight, file));
    }
    assertThat(latest(resumed).orElseThrow().attempt()).isEqualTo(2);
    String state = new String(finalFile(resumed, TrainingCheckpoint.STATE), UTF_8);
    if (precision == Precision.FP16) {
      // 4 clean steps before the stop + 4 after: only a restored scaler counts 8.
      assertThat(state).contains("\"lossScale\"").contains("\"cleanSteps\":8");
    } else {
      assertThat(state).doesNotContain("lossScale");
    }
  }

  @Test
  void aCrashAtAnyPointOfCheckpointWritingNeverLeavesLatestOnAPartialCheckpoint() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    // Two checkpoints (steps 4 and 8) of 4 files + manifest + pointer: 12 checkpoint writes.
    for (int trial = 0; trial < 5; trial++) {
      int writesBeforeCrash = random.nextInt(12);
      RunConfig config = TestRun.small().uid("crash-" + trial).config(s3);
      partition(config);
      CrashingObjectStore crashing =
          new CrashingObjectStore(buckets.forBucket(TestRun.BUCKET), writesBeforeCrash);
      JobContext context =
          new JobContext(
              config,
              Task.expert(0, 1),
              (bucket, region) ->
                  bucket.equals(TestRun.BUCKET) ? crashing : buckets.forBucket(bucket, region),
              scratch,
              Clock.systemUTC(),
              StopSignal.NEVER,
              Duration.ZERO);
      assertThat(TaskRunner.run(context))
          .as("crash after %d writes", writesBeforeCrash)
          .isEqualTo(ExitCodes.FAILURE);

      Optional<CheckpointPointer> pointer = latest(config);
      pointer.ifPresent(p -> assertIntact(p.prefix()));
      long expectedResume = writesBeforeCrash < 6 ? 0 : 4;
      assertThat(pointer.map(CheckpointPointer::step).orElse(0L))
          .as("crash after %d writes", writesBeforeCrash)
          .isEqualTo(expectedResume);

      assertThat(train(config, 2, StopSignal.NEVER)).isEqualTo(ExitCodes.OK);
      assertIntact(latest(config).orElseThrow().prefix());
      assertThat(latest(config).orElseThrow().step()).isEqualTo(8);
    }
  }

  @Test
  void aTruncatedLatestCheckpointIsDetectedAndThePreviousOneIsUsed() throws Exception {
    RunConfig reference = TestRun.small().uid("reference").config(s3);
    partition(reference);
    assertThat(train(reference, 1, StopSignal.NEVER)).isEqualTo(ExitCodes.OK);

    RunConfig config = TestRun.small().uid("truncated").config(s3);
    partition(config);
    assertThat(train(config, 1, StopSignal.NEVER)).isEqualTo(ExitCodes.OK);
    ObjectStore store = buckets.forBucket(TestRun.BUCKET);
    String weights = config.layout().expertCheckpoint(0, 8) + TrainingCheckpoint.WEIGHTS;
    byte[] bytes = store.read(weights).orElseThrow();
    store.put(weights, Arrays.copyOf(bytes, bytes.length / 2));

    // The retry rejects step 8, resumes from step 4 and trains to step 8 again, exactly.
    assertThat(train(config, 2, StopSignal.NEVER)).isEqualTo(ExitCodes.OK);
    assertThat(latest(config).orElseThrow().attempt()).isEqualTo(2);
    assertThat(finalFile(config, TrainingCheckpoint.WEIGHTS))
        .isEqualTo(finalFile(reference, TrainingCheckpoint.WEIGHTS));
  }

  @Test
  void resumingUnderAChangedModelIsABadConfig() throws Exception {
    RunConfig config = TestRun.small().uid("changed").config(s3);
    partition(config);
    assertThat(train(config, 1, step -> step >= 4)).isEqualTo(ExitCodes.PREEMPTED);
    config.model().setWidth(64);
    RunConfig changed = RunConfig.fromJson(config.toJson());
    config.model().setWidth(32);
    assertThat(
            TaskRunner.run(
                TestRun.context(changed, Task.expert(0, 2), buckets, scratch, StopSignal.NEVER)))
        .isEqualTo(ExitCodes.BAD_CONFIG);
  }

  private static void partition(RunConfig config) {
    assertThat(
            TaskRunner.run(
                TestRun.context(
                    config, Task.of(Role.PARTITION, 1), buckets, scratch, StopSignal.NEVER)))
        .isEqualTo(ExitCodes.OK);
  }

  private static int train(RunConfig config, int attempt, StopSignal stop) {
    return TaskRunner.run(TestRun.context(config, Task.expert(0, attempt), buckets, scratch, stop));
  }

  private static Optional<CheckpointPointer> latest(RunConfig config) throws Exception {
    return buckets
        .forBucket(TestRun.BUCKET)
        .read(config.layout().expertLatestCheckpoint(0))
        .map(b -> ContractJson.read(b, CheckpointPointer.class));
  }

  private static byte[] finalFile(RunConfig config, String name) throws Exception {
    StorageLayout layout = config.layout();
    return buckets
        .forBucket(TestRun.BUCKET)
        .read(layout.expertCheckpoint(0, config.training().getSteps()) + name)
        .orElseThrow();
  }

  /** Every file the manifest lists is present with its size and SHA-256. */
  private static void assertIntact(String directory) {
    try {
      ObjectStore store = buckets.forBucket(TestRun.BUCKET);
      CheckpointManifest manifest =
          ContractJson.read(
              store.read(directory + CheckpointManifest.FILE_NAME).orElseThrow(),
              CheckpointManifest.class);
      assertThat(manifest.files()).hasSize(STATE_FILES.size());
      for (ManifestEntry entry : manifest.files()) {
        byte[] bytes = store.read(directory + entry.name()).orElseThrow();
        assertThat((long) bytes.length).isEqualTo(entry.size());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(sha).isEqualTo(entry.sha256());
      }
    } catch (Exception e) {
      throw new AssertionError("checkpoint " + directory + " is not intact", e);
    }
  }
}
