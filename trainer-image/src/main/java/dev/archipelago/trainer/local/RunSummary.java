package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.NoiseLevelAccuracy;
import dev.archipelago.api.contract.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The table printed at the end of a run: per trainer its samples, steps, final loss, wall time and
 * throughput; the router's held-out accuracy per noise level; where the pictures are.
 */
final class RunSummary {
  private static final String ROW = "%-10s %9s %13s %11s %10s %10s%n";

  private final List<LocalTask> trainers;
  private final Map<String, TaskResult> results;
  private final Map<String, Progress> progress;
  private final ClusterSizes clusterSizes;

  /**
   * @param results this invocation's result per task name (absent: not run)
   * @param progress the last progress report per task name (absent: none)
   * @param clusterSizes the partition's sizes, or null if unknown
   */
  RunSummary(
      List<LocalTask> trainers,
      Map<String, TaskResult> results,
      Map<String, Progress> progress,
      ClusterSizes clusterSizes) {
    this.trainers = List.copyOf(trainers);
    this.results = Map.copyOf(results);
    this.progress = Map.copyOf(progress);
    this.clusterSizes = clusterSizes;
  }

  void print(PrintWriter out, List<Path> plots, Path samples, Duration total) {
    out.println();
    out.printf(
        Locale.ROOT, ROW, "task", "samples", "steps", "final loss", "wall time", "samples/s");
    for (LocalTask task : trainers) {
      Optional<Progress> report = Optional.ofNullable(progress.get(task.name()));
      out.printf(
          Locale.ROOT,
          ROW,
          task.name(),
          samples(task),
          report.map(p -> p.step() + "/" + p.totalSteps()).orElse("-/" + task.totalSteps()),
          report.map(Progress::loss).map(l -> String.format(Locale.ROOT, "%.4f", l)).orElse("-"),
          wallTime(task),
          report
              .map(Progress::samplesPerSecond)
              .map(r -> String.format(Locale.ROOT, "%.1f", r))
              .orElse("-"));
    }
    routerAccuracy().ifPresent(out::println);
    if (!plots.isEmpty()) {
      out.println("loss curves: " + String.join(", ", plots.stream().map(Path::toString).toList()));
    }
    if (samples != null) {
      out.println("samples:     " + samples);
    }
    out.println("total wall time " + TaskStatusText.duration(total));
    out.flush();
  }

  private String samples(LocalTask task) {
    if (clusterSizes == null) {
      return "-";
    }
    if (task.isExpert() && task.task().expert() < clusterSizes.sizes().size()) {
      return Long.toString(clusterSizes.sizes().get(task.task().expert()));
    }
    return task.isExpert() ? "-" : Long.toString(clusterSizes.total());
  }

  private String wallTime(LocalTask task) {
    TaskResult result = results.get(task.name());
    if (result == null || result.outcome() == TaskResult.Outcome.NOT_STARTED) {
      return "-";
    }
    if (result.outcome() == TaskResult.Outcome.DONE_EARLIER) {
      return "earlier";
    }
    return TaskStatusText.duration(result.wallTime());
  }

  /** "router held-out accuracy: t=1.0 0.30, t=0.8 0.95, ..." if the router reported it. */
  Optional<String> routerAccuracy() {
    for (LocalTask task : trainers) {
      Progress report = progress.get(task.name());
      if (!task.isExpert() && report != null && report.routerAccuracy() != null) {
        List<String> levels = new ArrayList<>();
        for (NoiseLevelAccuracy level : report.routerAccuracy()) {
          levels.add(
              String.format(Locale.ROOT, "t=%.1f %.2f", level.noiseLevel(), level.accuracy()));
        }
        return Optional.of("router held-out accuracy: " + String.join(", ", levels));
      }
    }
    return Optional.empty();
  }
}
