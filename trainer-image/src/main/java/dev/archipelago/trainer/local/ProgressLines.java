package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.Progress;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress as plain lines, for output that is not a terminal: one when a task starts, one when it
 * ends, and one at each quarter of its steps.
 */
final class ProgressLines implements ProgressView {
  private static final int REPORTS_PER_TASK = 4;

  private final PrintWriter out;
  private final Map<String, Long> reportedQuarter = new ConcurrentHashMap<>();

  ProgressLines(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void trainers(List<LocalTask> tasks) {}

  @Override
  public void doneEarlier(LocalTask task, Progress progress) {
    print(task, TaskStatusText.outcome(TaskResult.doneEarlier(task), progress));
  }

  @Override
  public void started(LocalTask task) {
    print(task, "started");
  }

  @Override
  public void update(LocalTask task, Progress progress) {
    if (progress.totalSteps() <= 0) {
      return;
    }
    long quarter = progress.step() * REPORTS_PER_TASK / progress.totalSteps();
    Long before = reportedQuarter.put(task.name(), quarter);
    if (before != null && quarter > before && quarter < REPORTS_PER_TASK) {
      print(task, TaskStatusText.steps(progress));
    }
  }

  @Override
  public void finished(TaskResult result, Progress last) {
    print(result.task(), TaskStatusText.outcome(result, last));
  }

  @Override
  public void close() {
    out.flush();
  }

  private synchronized void print(LocalTask task, String text) {
    out.println(task.name() + ": " + text);
    out.flush();
  }
}
