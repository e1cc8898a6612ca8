package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.Progress;
import java.util.List;

/**
 * What the user sees while the run trains: progress bars on a terminal, a few plain lines otherwise
 * (a log file or CI must not fill up with redrawn bars).
 */
interface ProgressView extends AutoCloseable {
  /** The trainers of the run, in display order, before any of them starts. */
  void trainers(List<LocalTask> tasks);

  /** A trainer found complete from an earlier run: it will not start. */
  void doneEarlier(LocalTask task, Progress progress);

  void started(LocalTask task);

  /** A trainer's latest progress report (about once a second). */
  void update(LocalTask task, Progress progress);

  /** A task ended; {@code last} is its last progress report, or null. */
  void finished(TaskResult result, Progress last);

  @Override
  void close();
}
