package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the running trainers' progress.json about once a second, as the operator polls it in a
 * cluster: feeds the progress view and appends each new (step, loss) to the task's loss log.
 */
final class ProgressMonitor implements TaskPool.TaskListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressMonitor.class);
  private static final long POLL_MILLIS = 1000;

  private final ObjectStore store;
  private final RunConfig config;
  private final WorkDir workDir;
  private final ProgressView view;
  private final Set<LocalTask> running = ConcurrentHashMap.newKeySet();
  private final Map<String, Progress> latest = new ConcurrentHashMap<>();
  private final Map<String, LossLog> lossLogs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "progress-poller");
            t.setDaemon(true);
            return t;
          });

  ProgressMonitor(ObjectStore store, RunConfig config, WorkDir workDir, ProgressView view) {
    this.store = store;
    this.config = config;
    this.workDir = workDir;
    this.view = view;
    poller.scheduleWithFixedDelay(
        this::pollRunning, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Reads a trainer's progress.json now; empty for the partition or before its first report. */
  Optional<Progress> read(LocalTask task) {
    if (!task.isTrainer()) {
      return Optional.empty();
    }
    try {
      Optional<Progress> progress =
          store.read(task.progressKey(config)).map(b -> ContractJson.read(b, Progress.class));
      progress.ifPresent(p -> record(task, p));
      return progress;
    } catch (IOException | IllegalArgumentException e) {
      // Display only: the next poll may succeed (a report being rewritten, a busy store).
      LOG.debug("cannot read the progress of {}: {}", task.name(), e.toString());
      return Optional.ofNullable(latest.get(task.name()));
    }
  }

  /** The last progress seen for a task, if any. */
  Optional<Progress> latest(LocalTask task) {
    return Optional.ofNullable(latest.get(task.name()));
  }

  @Override
  public void started(LocalTask task) {
    running.add(task);
    view.started(task);
  }

  @Override
  public void finished(TaskResult result) {
    running.remove(result.task());
    Progress last = read(result.task()).orElse(null);
    view.finished(result, last);
  }

  private void pollRunning() {
    try {
      for (LocalTask task : running) {
        read(task).ifPresent(p -> view.update(task, p));
      }
    } catch (RuntimeException e) {
      // An exception would cancel the schedule; the next poll may well succeed.
      LOG.warn("progress poll failed: {}", e.toString());
    }
  }

  private void record(LocalTask task, Progress progress) {
    latest.put(task.name(), progress);
    if (progress.loss() != null && progress.step() > 0) {
      lossLogs
          .computeIfAbsent(task.name(), n -> new LossLog(workDir.lossCsv(n)))
          .record(progress.step(), progress.loss(), progress.attempt());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
