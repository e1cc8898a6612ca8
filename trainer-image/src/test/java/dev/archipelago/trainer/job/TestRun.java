package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLocation;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.DatasetFormat;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.DistillationSpec;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.LatentSpec;
import dev.archipelago.api.spec.ModelPreset;
import dev.archipelago.api.spec.ModelSpec;
import dev.archipelago.api.spec.PartitioningMethod;
import dev.archipelago.api.spec.PartitioningSpec;
import dev.archipelago.api.spec.Precision;
import dev.archipelago.api.spec.RouterSpec;
import dev.archipelago.api.spec.TrainingSpec;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small fluent builder of run configs and job contexts against an {@link EmbeddedS3}. */
public final class TestRun {
  public static final String BUCKET = "runs";

  private String uid = "uid-1";
  private final DatasetSpec dataset = new DatasetSpec();
  private final PartitioningSpec partitioning = new PartitioningSpec();
  private final ModelSpec model = new ModelSpec();
  private final TrainingSpec training = new TrainingSpec();
  private final RouterSpec router = new RouterSpec();
  private final DistillationSpec distillation = new DistillationSpec();

  private TestRun() {
    dataset.setUri("synthetic://shapes?samples=256&shardSize=64&seed=3");
    dataset.setImageSize(8);
    partitioning.setExperts(2);
    partitioning.setFineClusters(16);
    partitioning.setSeed(1L);
    // The smallest DiT the API allows: one block of width 32, so checkpoint tests stay fast.
    model.setDepth(1);
    model.setWidth(32);
    model.setHeads(2);
    training.setSteps(8L);
    training.setBatchSize(4);
    training.setLearningRate(1e-3);
    training.setEma(0.9);
    training.setCheckpointEvery(4L);
    training.setKeepCheckpoints(2);
    router.setSteps(8L);
    router.setBatchSize(8);
  }

  public static TestRun small() {
    return new TestRun();
  }

  public TestRun uid(String value) {
    uid = value;
    return this;
  }

  public TestRun dataset(String uri, int imageSize) {
    dataset.setUri(uri);
    dataset.setImageSize(imageSize);
    return this;
  }

  /** Trains on latent tensors of {@code channels} × {@code size} × {@code size} (unscaled). */
  public TestRun latents(int channels, int size) {
    LatentSpec latents = new LatentSpec();
    latents.setChannels(channels);
    latents.setSize(size);
    dataset.setFormat(DatasetFormat.LATENTS);
    dataset.setLatents(latents);
    return this;
  }

  public TestRun channels(int channels) {
    dataset.setChannels(channels);
    return this;
  }

  public TestRun experts(int experts, int fineClusters) {
    partitioning.setExperts(experts);
    partitioning.setFineClusters(fineClusters);
    return this;
  }

  public TestRun partitionMethod(PartitioningMethod method) {
    partitioning.setMethod(method);
    return this;
  }

  public TestRun tinyPreset() {
    model.setDepth(null);
    model.setWidth(null);
    model.setHeads(null);
    model.setPreset(ModelPreset.TINY);
    return this;
  }

  /** The experts' DiT as an explicit layout. */
  public TestRun modelLayout(int depth, int width, int heads) {
    model.setPreset(null);
    model.setDepth(depth);
    model.setWidth(width);
    model.setHeads(heads);
    return this;
  }

  /** The router's own DiT layout, smaller than the experts' as in the paper. */
  public TestRun routerLayout(int depth, int width, int heads) {
    router.setPreset(null);
    router.setDepth(depth);
    router.setWidth(width);
    router.setHeads(heads);
    return this;
  }

  public TestRun precision(Precision precision) {
    training.setPrecision(precision);
    return this;
  }

  public TestRun training(long steps, int batchSize, double learningRate, double ema) {
    training.setSteps(steps);
    training.setBatchSize(batchSize);
    training.setLearningRate(learningRate);
    training.setEma(ema);
    return this;
  }

  public TestRun checkpoints(long every, int keep) {
    training.setCheckpointEvery(every);
    training.setKeepCheckpoints(keep);
    return this;
  }

  public TestRun router(long steps, int batchSize) {
    router.setSteps(steps);
    router.setBatchSize(batchSize);
    return this;
  }

  /** Distils the ensemble into a student of this layout, taught by {@code strategy}. */
  public TestRun distillation(
      InferenceStrategy strategy, int depth, int width, int heads, long steps, int batchSize) {
    distillation.setEnabled(true);
    distillation.setStrategy(strategy);
    distillation.setDepth(depth);
    distillation.setWidth(width);
    distillation.setHeads(heads);
    distillation.setSteps(steps);
    distillation.setBatchSize(batchSize);
    return this;
  }

  public RunConfig config(EmbeddedS3 s3) {
    return config(s3.endpoint());
  }

  public RunConfig config(String endpoint) {
    return new RunConfig(
        RunConfig.SCHEMA_VERSION,
        "test",
        "ns",
        uid,
        partitioning.getExperts(),
        dataset,
        partitioning,
        model,
        training,
        router,
        distillation,
        new InferenceSpec(),
        new StorageLocation(endpoint, BUCKET, "us-east-1", true, "runs/ns/test/" + uid + "/"));
  }

  /**
   * Runs every task of {@code config} in order, as the operator would: the partition, each expert,
   * then the router (none for a one-expert monolith) and the student (runs that distil). Throws
   * naming the task that did not exit OK.
   */
  public static void trainEveryTask(RunConfig config, S3Buckets buckets, Path scratch)
      throws Exception {
    List<Task> tasks = new ArrayList<>(List.of(Task.of(Role.PARTITION, 1)));
    for (int k = 0; k < config.experts(); k++) {
      tasks.add(Task.expert(k, 1));
    }
    if (config.experts() > 1) {
      tasks.add(Task.of(Role.ROUTER, 1));
    }
    if (config.distillation().distils()) {
      tasks.add(Task.of(Role.DISTILL, 1));
    }
    for (Task task : tasks) {
      int code = TaskRunner.run(context(config, task, buckets, scratch, StopSignal.NEVER));
      if (code != ExitCodes.OK) {
        throw new AssertionError(task + " of " + config.runName() + " exited " + code);
      }
    }
  }

  /** A context for {@code task} whose progress is written on every step. */
  public static JobContext context(
      RunConfig config, Task task, S3Buckets buckets, Path scratch, StopSignal stop) {
    return new JobContext(
        config, task, buckets::forBucket, scratch, Clock.systemUTC(), stop, Duration.ZERO);
  }
}
