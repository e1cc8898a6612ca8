package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.trainer.job.TrainerEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Starts the children of a local run with the environment the operator would give their pods: the
 * task's variables, the run config file, a scratch directory and the S3 key; plus the thread count,
 * the parent's pid (children stop when it dies) and a short progress interval. Each child appends
 * its output to its log in the work dir.
 */
final class ChildLauncher {
  /** Children report progress every second: the bars poll that often. */
  static final String PROGRESS_INTERVAL_SECONDS = "1";

  private final JvmCommand jvm;
  private final WorkDir workDir;
  private final S3Credentials credentials;
  private final ChildProcesses children;

  ChildLauncher(
      JvmCommand jvm, WorkDir workDir, S3Credentials credentials, ChildProcesses children) {
    this.jvm = jvm;
    this.workDir = workDir;
    this.credentials = credentials;
    this.children = children;
  }

  /** Starts {@code archipelago task} for {@code task}; null if the run is stopping. */
  Process startTask(LocalTask task, int threads) throws IOException {
    ProcessBuilder builder = builder(task.name(), threads, List.of("task"));
    Map<String, String> env = builder.environment();
    env.putAll(task.task().toEnv());
    env.put(PodEnv.SCRATCH_DIR, workDir.scratch().resolve(task.name()).toString());
    env.put(TrainerEnv.PROGRESS_INTERVAL_SECONDS, PROGRESS_INTERVAL_SECONDS);
    return children.start(task.name(), builder, task.isTrainer());
  }

  /** Starts {@code archipelago serve} on loopback; null if the run is stopping. */
  Process startServer(int port, int threads) throws IOException {
    ProcessBuilder builder =
        builder(
            "serve",
            threads,
            List.of(
                "serve",
                "--config",
                workDir.runConfig().toString(),
                "--port",
                Integer.toString(port),
                // No kubelet probes it on one machine; a fixed probe port could be taken.
                "--probe-port",
                "-1",
                "--bind",
                "127.0.0.1"));
    return children.start("serve", builder, false);
  }

  private ProcessBuilder builder(String name, int threads, List<String> args) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(jvm.archipelago(threads, args));
    Map<String, String> env = builder.environment();
    // A task variable inherited from the caller's shell must not leak into another task.
    env.keySet().removeAll(List.of(PodEnv.ROLE, PodEnv.EXPERT, PodEnv.ATTEMPT));
    env.put(PodEnv.RUN_CONFIG_FILE, workDir.runConfig().toString());
    credentials.addTo(env);
    env.put("OMP_NUM_THREADS", Integer.toString(threads));
    // Idle OpenMP threads sleep instead of spinning: with another busy process on the machine
    // (another task, a build), spinning threads made each step 20 times slower here.
    env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    env.put(TrainerEnv.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
    Path log = workDir.log(name);
    Files.writeString(
        log,
        "=== " + Instant.now() + " " + String.join(" ", args) + " ===\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder;
  }
}
