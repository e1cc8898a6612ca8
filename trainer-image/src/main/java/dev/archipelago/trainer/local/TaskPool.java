package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.ExitCodes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks as child processes, a fixed number at a time, in the order given. The first task that
 * fails stops the others (they get SIGTERM, checkpoint and exit), and tasks not yet started are not
 * started.
 */
final class TaskPool {
  private final ChildLauncher launcher;
  private final ChildProcesses children;
  private final TaskListener listener;
  private final Duration stopGrace;

  /** Told when a task starts and ends (progress display, loss records). */
  interface TaskListener {
    void started(LocalTask task);

    void finished(TaskResult result);
  }

  TaskPool(
      ChildLauncher launcher, ChildProcesses children, TaskListener listener, Duration stopGrace) {
    this.launcher = launcher;
    this.children = children;
    this.listener = listener;
    this.stopGrace = stopGrace;
  }

  /** Runs {@code tasks}, {@code processes} at a time with {@code threads} each; waits for all. */
  List<TaskResult> run(List<LocalTask> tasks, int processes, int threads)
      throws IOException, InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            processes,
            r -> {
              Thread t = new Thread(r, "local-task");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<TaskResult>> futures = new ArrayList<>();
      for (LocalTask task : tasks) {
        futures.add(pool.submit(() -> runOne(task, threads)));
      }
      List<TaskResult> results = new ArrayList<>();
      for (Future<TaskResult> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          children.stopAll(stopGrace);
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException("a task could not be run", e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private TaskResult runOne(LocalTask task, int threads) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = launcher.startTask(task, threads);
    if (process == null) {
      TaskResult result = TaskResult.notStarted(task);
      listener.finished(result);
      return result;
    }
    listener.started(task);
    int exit = process.waitFor();
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    TaskResult.Outcome outcome;
    if (exit == ExitCodes.OK) {
      outcome = TaskResult.Outcome.DONE;
    } else if (children.stopping()) {
      outcome = TaskResult.Outcome.STOPPED;
    } else {
      outcome = TaskResult.Outcome.FAILED;
    }
    TaskResult result = new TaskResult(task, outcome, exit, wall);
    listener.finished(result);
    if (outcome == TaskResult.Outcome.FAILED) {
      children.stopAll(stopGrace);
    }
    return result;
  }
}
