package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.Progress;
import java.time.Duration;
import java.util.Locale;

/** The short phrases both progress views use. */
final class TaskStatusText {
  private TaskStatusText() {}

  static String steps(Progress progress) {
    String text = "step " + progress.step() + "/" + progress.totalSteps();
    return progress.loss() == null ? text : text + ", " + loss(progress.loss());
  }

  static String loss(double loss) {
    return String.format(Locale.ROOT, "loss %.4f", loss);
  }

  static String outcome(TaskResult result, Progress last) {
    String at = last == null ? "" : " (" + steps(last) + ")";
    return switch (result.outcome()) {
      case DONE -> "done in " + duration(result.wallTime()) + at;
      case DONE_EARLIER -> "complete from an earlier run" + at;
      case STOPPED ->
          "stopped (exit "
              + result.exitCode()
              + ")"
              + (last == null || last.lastCheckpointStep() == null
                  ? ""
                  : ", checkpoint at step " + last.lastCheckpointStep());
      case NOT_STARTED -> "not started";
      case FAILED -> "FAILED (exit " + result.exitCode() + ")" + at;
    };
  }

  /** {@code 1h02m03s}, {@code 4m05s}, {@code 12.3s}. */
  static String duration(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds >= 3600) {
      return String.format(
          Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
    if (seconds >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
  }
}
