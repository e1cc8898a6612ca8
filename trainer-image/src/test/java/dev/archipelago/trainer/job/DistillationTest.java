package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.ServedModel;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.EnsembleTeacher;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.ModelLoader;
import dev.archipelago.trainer.serve.VelocityQuery;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real distillation of a two-expert shapes ensemble (16×16, tiny DiTs) through the tasks a pod
 * runs: the student refuses an unfinished teacher, then trains, and what it learnt is measured
 * against the teacher it learnt from.
 */
class DistillationTest {
  private static final long STUDENT_STEPS = 150;

  private static EmbeddedS3 s3;
  private static S3Buckets buckets;
  private static RunConfig config;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() throws Exception {
    s3 = new EmbeddedS3();
    s3.createBucket(TestRun.BUCKET);
    buckets = new S3Buckets(s3.settings());
    config =
        TestRun.small()
            .uid("distil")
            .dataset("synthetic://shapes?samples=640&shardSize=320&seed=5", 16)
            .experts(2, 16)
            .tinyPreset()
            .training(120, 16, 2e-3, 0.98)
            .checkpoints(1000, 1)
            .router(60, 16)
            .distillation(InferenceStrategy.TOP1, 2, 64, 4, STUDENT_STEPS, 16)
            .config(s3);
  }

  @AfterAll
  static void stop() throws Exception {
    buckets.close();
    s3.close();
  }

  @Test
  void theStudentRefusesAnUnfinishedTeacherThenLearnsTheEnsemblesVelocity() throws Exception {
    assertThat(run(Task.of(Role.PARTITION, 1))).isEqualTo(ExitCodes.OK);
    assertThat(run(Task.expert(0, 1))).isEqualTo(ExitCodes.OK);
    // Expert 1 and the router have not trained: a student of half a teacher is refused.
    assertThat(run(Task.of(Role.DISTILL, 1))).isEqualTo(ExitCodes.FAILURE);
    assertThat(store().read(config.layout().distillationLatestCheckpoint())).isEmpty();

    assertThat(run(Task.expert(1, 1))).isEqualTo(ExitCodes.OK);
    assertThat(run(Task.of(Role.ROUTER, 1))).isEqualTo(ExitCodes.OK);
    assertThat(run(Task.of(Role.DISTILL, 1))).isEqualTo(ExitCodes.OK);
    Progress progress =
        ContractJson.read(
            store().read(config.layout().distillationProgress()).orElseThrow(), Progress.class);
    assertThat(progress.phase()).isEqualTo(ProgressPhase.Completed);
    assertThat(progress.step()).isEqualTo(STUDENT_STEPS);
    assertThat(store().read(config.layout().distillationLatestCheckpoint())).isPresent();

    try (NDManager manager = NDManager.newBaseManager()) {
      JobContext context =
          TestRun.context(config, Task.of(Role.DISTILL, 2), buckets, scratch, null);
      EnsembleTeacher teacher = TeacherLoading.load(context, manager, 0);
      ModelLoader loader = new ModelLoader(config, store(), scratch, manager);
      DjlExpert student = loader.student(null).model();
      DjlExpert untrained = new DjlExpert(ModelConfigs.student(config), manager);
      double trained = 0;
      double fresh = 0;
      for (float t : new float[] {1f, 0.8f, 0.5f}) {
        VelocityQuery query = query(t);
        float[] target = teacher.velocity(query.x(), query.t(), null, 0);
        trained += meanSquaredError(student.velocity(query), target);
        fresh += meanSquaredError(untrained.velocity(query), target);
      }
      System.out.printf("student vs teacher MSE %.4f, untrained student %.4f%n", trained, fresh);
      // The untrained DiT answers 0 (its last layer starts at zero), so `fresh` is the teacher's
      // own power; 150 steps must take away most of it.
      assertThat(trained).isLessThan(0.5 * fresh);
    }

    RunConfig served = config.serving(ServedModel.STUDENT);
    assertThat(served.inference().servesStudent()).isTrue();
    assertThat(config.inference().servesStudent()).isFalse();
  }

  /** 32 images of pure noise, as the sampler starts, at time t. */
  private static VelocityQuery query(float t) {
    ImageShape shape = new ImageShape(3, 16);
    SplittableRandom random = new SplittableRandom(11);
    float[] x = new float[32 * shape.values()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) gaussian(random);
    }
    return VelocityQuery.atTime(shape, x, t, null, 1f);
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static double meanSquaredError(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    return sum / a.length;
  }

  private static int run(Task task) {
    return TaskRunner.run(TestRun.context(config, task, buckets, scratch, StopSignal.NEVER));
  }

  private static ObjectStore store() {
    return buckets.forBucket(TestRun.BUCKET);
  }
}
