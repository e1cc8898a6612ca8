package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.job.BadConfigException;
import dev.archipelago.trainer.job.GpuRequirement;
import dev.archipelago.trainer.job.IntraOpThreads;
import dev.archipelago.trainer.job.JobContext;
import dev.archipelago.trainer.job.ParentProcessWatch;
import dev.archipelago.trainer.job.SigtermStopSignal;
import dev.archipelago.trainer.job.StopSignal;
import dev.archipelago.trainer.job.TaskRunner;
import dev.archipelago.trainer.job.TerminationMessage;
import dev.archipelago.trainer.job.TrainerEnv;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a task from the process's environment and runs it: the one place commands share. */
final class TaskExecution {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

  /**
   * How often progress.json is rewritten while training (the contract says every few seconds),
   * unless {@link TrainerEnv#PROGRESS_INTERVAL_SECONDS} says otherwise.
   */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private TaskExecution() {}

  static int run(RunConfig config, Task task, Map<String, String> env, StopSignal stop) {
    // Before anything starts the engine (the GPU check below does).
    IntraOpThreads.configure(env);
    ClusterLocations clusterLocations;
    try {
      GpuRequirement.check(env);
      clusterLocations = clusterLocations(env);
    } catch (BadConfigException e) {
      LOG.error("bad config: {}", e.getMessage());
      TerminationMessage.record("bad config: " + e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    Path scratch;
    try {
      scratch = scratch(env);
    } catch (IOException e) {
      LOG.error("no writable scratch directory: {}", e.toString());
      return ExitCodes.FAILURE;
    }
    try (S3Buckets buckets = new S3Buckets(S3Settings.forRun(config.storage(), env))) {
      JobContext context =
          new JobContext(
              config,
              task,
              buckets::forBucket,
              scratch,
              Clock.systemUTC(),
              stop,
              progressInterval(env),
              clusterLocations);
      return TaskRunner.run(context);
    }
  }

  /** Where the operator asks the partition to write clusters outside the run's prefix. */
  static ClusterLocations clusterLocations(Map<String, String> env) {
    String json = env.get(PodEnv.CLUSTER_LOCATIONS);
    if (json == null || json.isBlank()) {
      return new ClusterLocations(List.of());
    }
    try {
      return ContractJson.read(json, ClusterLocations.class);
    } catch (RuntimeException e) {
      throw new BadConfigException(
          PodEnv.CLUSTER_LOCATIONS + " is not ClusterLocations JSON: " + e.getMessage(), e);
    }
  }

  /**
   * SIGTERM handling for a real process, plus the parent watch when a parent (such as {@code local
   * run}) named itself in {@link TrainerEnv#PARENT_PID}.
   */
  static StopSignal stopSignal(Map<String, String> env) {
    SigtermStopSignal signal = SigtermStopSignal.install();
    ParentProcessWatch.watch(env, signal);
    return signal;
  }

  static Duration progressInterval(Map<String, String> env) {
    String value = env.get(TrainerEnv.PROGRESS_INTERVAL_SECONDS);
    if (value == null || value.isBlank()) {
      return PROGRESS_INTERVAL;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      if (seconds >= 0 && Double.isFinite(seconds)) {
        return Duration.ofMillis(Math.round(seconds * 1000));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    // Progress is for display only: a bad value must not cost a training attempt.
    LOG.warn(
        "ignoring {}={}: not a number of seconds >= 0; using {}",
        TrainerEnv.PROGRESS_INTERVAL_SECONDS,
        value,
        PROGRESS_INTERVAL);
    return PROGRESS_INTERVAL;
  }

  /** A fresh directory under $ARCHIPELAGO_SCRATCH_DIR (the pod's scratch volume), else tmp. */
  static Path scratch(Map<String, String> env) throws IOException {
    String dir = env.get(PodEnv.SCRATCH_DIR);
    Path base =
        dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
    Files.createDirectories(base);
    return Files.createTempDirectory(base, "archipelago-");
  }
}
