package dev.archipelago.trainer.local;

import java.time.Duration;

/**
 * How a task of this invocation ended.
 *
 * @param exitCode the child's exit code; -1 when no process ran
 * @param wallTime how long its process ran (zero when none ran)
 */
public record TaskResult(LocalTask task, Outcome outcome, int exitCode, Duration wallTime) {

  public enum Outcome {
    /** Ran and exited 0. */
    DONE,
    /** Complete in storage before this invocation: no process started. */
    DONE_EARLIER,
    /** Stopped by this run (Ctrl-C, or another task failed): it checkpointed if it could. */
    STOPPED,
    /** Never started because the run was stopping. */
    NOT_STARTED,
    /** Exited non-zero on its own. */
    FAILED
  }

  public static TaskResult doneEarlier(LocalTask task) {
    return new TaskResult(task, Outcome.DONE_EARLIER, -1, Duration.ZERO);
  }

  public static TaskResult notStarted(LocalTask task) {
    return new TaskResult(task, Outcome.NOT_STARTED, -1, Duration.ZERO);
  }

  public boolean succeeded() {
    return outcome == Outcome.DONE || outcome == Outcome.DONE_EARLIER;
  }
}
