package dev.archipelago.trainer.local;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code archipelago local run}: the tasks a cluster would run for a DDMRun, as child processes of
 * this one against an object store in the work dir. Partition, then the experts and the router a
 * few at a time, then the student (runs that distil), then samples from the inference server and a
 * summary. Ctrl-C stops the children after they checkpoint; running the same command again resumes.
 */
public final class LocalRun {
  /** Time children get to checkpoint after SIGTERM before they are killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  static final String DEFAULT_NAMESPACE = "default";

  /** The endpoint the config is checked with before the embedded server has its port. */
  private static final String EMBEDDED_STAND_IN = "http://127.0.0.1";

  private final LocalRunOptions options;
  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean terminal;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final ChildProcesses children = new ChildProcesses();

  /**
   * @param terminal whether output goes to a terminal (progress bars) or not (plain lines)
   */
  public LocalRun(
      LocalRunOptions options,
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      boolean terminal) {
    this.options = options;
    this.env = env;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** Runs; returns the exit code of {@code local run}. */
  public int run() {
    long start = System.nanoTime();
    Manifest manifest;
    try {
      manifest = ManifestReader.read(options.manifest());
    } catch (ManifestException e) {
      return badConfig(e);
    }
    manifest.notes().forEach(out::println);
    DDMRun run = manifest.run();
    boolean embedded = options.s3Endpoint() == null;
    RunConfig checked;
    try {
      checked =
          LocalRunConfig.build(
              run, namespace(run), embedded ? EMBEDDED_STAND_IN : options.s3Endpoint(), embedded);
    } catch (ManifestException e) {
      return badConfig(e);
    }
    WorkDir workDir =
        options.workDir() != null
            ? new WorkDir(options.workDir())
            : WorkDir.defaultFor(checked.runName());
    Thread hook = new Thread(() -> stopChildren(workDir), "local-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (LocalStorage storage = openStorage(workDir)) {
      RunConfig config = LocalRunConfig.withEndpoint(checked, storage.endpoint());
      workDir.claim(config);
      out.printf(
          "run %s/%s (uid %s), %d experts; work dir %s; object store %s%n",
          config.namespace(),
          config.runName(),
          config.uid(),
          config.experts(),
          workDir.root(),
          storage.isEmbedded() ? "embedded at " + storage.endpoint() : storage.endpoint());
      out.flush();
      return train(config, workDir, storage, start);
    } catch (ManifestException e) {
      return badConfig(e);
    } catch (ChildProcessException e) {
      reportChildFailure(e.getMessage(), e.log());
      return ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      children.stopAll(STOP_GRACE);
      return ExitCodes.PREEMPTED;
    } catch (Exception e) {
      err.println("local run failed: " + e);
      err.flush();
      children.stopAll(STOP_GRACE);
      return ExitCodes.FAILURE;
    } finally {
      removeHook(hook);
    }
  }

  private int train(RunConfig config, WorkDir workDir, LocalStorage storage, long start)
      throws IOException, InterruptedException {
    int attempt = workDir.nextAttempt();
    ObjectStore store = storage.runStore(config);
    ChildLauncher launcher =
        new ChildLauncher(JvmCommand.current(), workDir, storage.credentials(), children);
    Map<String, TaskResult> results = new LinkedHashMap<>();
    List<LocalTask> ensemble = LocalTask.trainers(config, attempt);
    Optional<LocalTask> student = LocalTask.student(config, attempt);
    List<LocalTask> trainers = new ArrayList<>(ensemble);
    student.ifPresent(trainers::add);
    Map<String, Progress> finalProgress = new LinkedHashMap<>();
    ProgressView view = terminal ? new ProgressBars(err) : new ProgressLines(out);
    try (view;
        ProgressMonitor monitor = new ProgressMonitor(store, config, workDir, view)) {
      TaskPool pool = new TaskPool(launcher, children, monitor, STOP_GRACE);
      if (config.dataset().getEncode() != null
          && !runStage(
              pool, store, LocalTask.encode(attempt), config.layout().encodeReport(), results)) {
        return endedEarly(results.values(), workDir);
      }
      if (!runStage(
          pool, store, LocalTask.partition(attempt), config.layout().clusterSizes(), results)) {
        return endedEarly(results.values(), workDir);
      }
      Parallelism parallelism = Parallelism.of(config.experts(), cores, options.parallel());
      List<LocalTask> toRun = new ArrayList<>();
      List<LocalTask> doneEarlier = new ArrayList<>();
      for (LocalTask task : ensemble) {
        Optional<Progress> progress = monitor.read(task);
        if (progress.isPresent() && isComplete(task, progress.get())) {
          doneEarlier.add(task);
          results.put(task.name(), TaskResult.doneEarlier(task));
        } else {
          toRun.add(task);
        }
      }
      out.printf(
          "training %d of %d tasks, %d at a time with %d thread(s) each; logs in %s%n",
          toRun.size(),
          ensemble.size(),
          parallelism.processes(),
          parallelism.threadsPerProcess(),
          workDir.logs());
      out.flush();
      view.trainers(trainers);
      doneEarlier.forEach(t -> view.doneEarlier(t, monitor.latest(t).orElseThrow()));
      for (TaskResult result :
          pool.run(toRun, parallelism.processes(), parallelism.threadsPerProcess())) {
        results.put(result.task().name(), result);
      }
      // The student learns from the finished ensemble: it trains alone, after all of it.
      if (student.isPresent() && results.values().stream().allMatch(TaskResult::succeeded)) {
        results.put(student.get().name(), runStudent(pool, monitor, view, student.get()));
      }
      view.close();
      for (LocalTask task : trainers) {
        monitor.latest(task).ifPresent(p -> finalProgress.put(task.name(), p));
      }
    }
    List<Path> plots = LossPlot.drawAll(trainers, workDir);
    if (results.values().stream().anyMatch(r -> !r.succeeded())) {
      return endedEarly(results.values(), workDir);
    }
    RunSummary summary =
        new RunSummary(trainers, results, finalProgress, clusterSizes(store, config));
    return afterTraining(config, workDir, launcher, summary, plots, start);
  }

  /**
   * Runs a run-wide stage alone unless {@code doneMarker} shows an earlier run finished it; returns
   * whether it is done.
   */
  private boolean runStage(
      TaskPool pool,
      ObjectStore store,
      LocalTask stage,
      String doneMarker,
      Map<String, TaskResult> results)
      throws IOException, InterruptedException {
    if (store.read(doneMarker).isPresent()) {
      results.put(stage.name(), TaskResult.doneEarlier(stage));
      out.println(stage.name() + ": complete from an earlier run");
      return true;
    }
    TaskResult result = pool.run(List.of(stage), 1, Parallelism.alone(cores)).get(0);
    results.put(stage.name(), result);
    return result.succeeded();
  }

  private TaskResult runStudent(
      TaskPool pool, ProgressMonitor monitor, ProgressView view, LocalTask student)
      throws IOException, InterruptedException {
    Optional<Progress> progress = monitor.read(student);
    if (progress.isPresent() && isComplete(student, progress.get())) {
      view.doneEarlier(student, monitor.latest(student).orElseThrow());
      return TaskResult.doneEarlier(student);
    }
    out.println("distilling the ensemble into the student");
    out.flush();
    return pool.run(List.of(student), 1, Parallelism.alone(cores)).get(0);
  }

  /** Samples, the summary and, with --serve, the server until Ctrl-C. */
  private int afterTraining(
      RunConfig config,
      WorkDir workDir,
      ChildLauncher launcher,
      RunSummary summary,
      List<Path> plots,
      long start)
      throws InterruptedException {
    try (ServingStep serving =
        new ServingStep(options, launcher, workDir, Parallelism.alone(cores), out)) {
      Path samples = null;
      ChildProcessException failure = null;
      try {
        samples = serving.samples(config);
      } catch (ChildProcessException e) {
        failure = e;
      }
      // Training went well: its summary is worth showing even when the samples failed.
      summary.print(out, plots, samples, Duration.ofNanos(System.nanoTime() - start));
      if (failure != null) {
        reportChildFailure(failure.getMessage(), failure.log());
        return ExitCodes.FAILURE;
      }
      serving.serveUntilStopped();
      return children.stopping() ? ExitCodes.PREEMPTED : ExitCodes.OK;
    }
  }

  private LocalStorage openStorage(WorkDir workDir) throws IOException {
    workDir.create();
    return options.s3Endpoint() == null
        ? LocalStorage.embedded(workDir.blobs())
        : LocalStorage.external(options.s3Endpoint(), env);
  }

  private String namespace(DDMRun run) {
    if (options.namespace() != null) {
      return options.namespace();
    }
    String fromManifest = run.getMetadata().getNamespace();
    return fromManifest == null || fromManifest.isBlank() ? DEFAULT_NAMESPACE : fromManifest;
  }

  private static boolean isComplete(LocalTask task, Progress progress) {
    return progress.phase() == ProgressPhase.Completed && progress.step() >= task.totalSteps();
  }

  private static ClusterSizes clusterSizes(ObjectStore store, RunConfig config) throws IOException {
    return store
        .read(config.layout().clusterSizes())
        .map(b -> ContractJson.read(b, ClusterSizes.class))
        .orElse(null);
  }

  /** A task failed or the run was stopped: says which and why; returns the exit code. */
  private int endedEarly(Iterable<TaskResult> results, WorkDir workDir) {
    for (TaskResult result : results) {
      if (result.outcome() == TaskResult.Outcome.FAILED) {
        int code = result.exitCode();
        reportChildFailure(
            "task " + result.task().name() + " failed with exit code " + code,
            workDir.log(result.task().name()));
        return code == ExitCodes.BAD_CONFIG ? ExitCodes.BAD_CONFIG : ExitCodes.FAILURE;
      }
    }
    err.println(
        "stopped before the end; run the same command again to resume from the checkpoints");
    err.flush();
    return ExitCodes.PREEMPTED;
  }

  private void reportChildFailure(String message, Path log) {
    err.println(message);
    err.println("last lines of " + log + ":");
    LogTail.of(log, LogTail.LINES).forEach(line -> err.println("  " + line));
    err.flush();
  }

  private int badConfig(ManifestException e) {
    err.println("invalid manifest: " + e.getMessage());
    err.flush();
    return ExitCodes.BAD_CONFIG;
  }

  /** The shutdown hook: Ctrl-C or SIGTERM of this process. */
  private void stopChildren(WorkDir workDir) {
    List<String> running = children.names();
    if (!running.isEmpty()) {
      err.println("stopping " + running + ": trainers write a checkpoint first");
      err.flush();
    }
    children.stopAll(STOP_GRACE);
    if (!running.isEmpty()) {
      err.println("stopped; run the same command again to resume from " + workDir.root());
      err.flush();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running.
    }
  }
}
