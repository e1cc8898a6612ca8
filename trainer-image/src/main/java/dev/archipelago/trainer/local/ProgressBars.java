package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * One progress bar per trainer on a terminal (me.tongfei:progressbar redraws them in place). Tasks
 * without steps (the partition) get plain lines, printed before the bars exist.
 */
final class ProgressBars implements ProgressView {
  private final PrintWriter out;
  private final Map<String, ProgressBar> bars = new LinkedHashMap<>();
  private final Map<String, Long> etaSeconds = new ConcurrentHashMap<>();

  ProgressBars(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void trainers(List<LocalTask> tasks) {
    // Names padded to one width, so that the bars line up.
    int width = tasks.stream().mapToInt(t -> t.name().length()).max().orElse(0);
    for (LocalTask task : tasks) {
      String name = task.name();
      bars.put(
          name,
          new ProgressBarBuilder()
              .setTaskName(String.format("%-" + width + "s", name))
              .setInitialMax(task.totalSteps())
              .setUnit(" steps", 1)
              .setEtaFunction(
                  state -> Optional.ofNullable(etaSeconds.get(name)).map(Duration::ofSeconds))
              .build()
              .setExtraMessage("waiting"));
    }
  }

  @Override
  public synchronized void doneEarlier(LocalTask task, Progress progress) {
    ProgressBar bar = bars.get(task.name());
    if (bar != null) {
      bar.stepTo(progress.step()).setExtraMessage("complete from an earlier run");
    }
  }

  @Override
  public synchronized void started(LocalTask task) {
    ProgressBar bar = bars.get(task.name());
    if (bar == null) {
      out.println(task.name() + ": started");
      out.flush();
    } else {
      bar.setExtraMessage("starting");
    }
  }

  @Override
  public synchronized void update(LocalTask task, Progress progress) {
    ProgressBar bar = bars.get(task.name());
    if (bar == null) {
      return;
    }
    if (progress.etaSeconds() != null) {
      etaSeconds.put(task.name(), progress.etaSeconds());
    }
    bar.stepTo(progress.step());
    bar.setExtraMessage(
        progress.loss() == null ? progress.phase().name() : TaskStatusText.loss(progress.loss()));
  }

  @Override
  public synchronized void finished(TaskResult result, Progress last) {
    ProgressBar bar = bars.get(result.task().name());
    if (bar == null) {
      out.println(result.task().name() + ": " + TaskStatusText.outcome(result, last));
      out.flush();
      return;
    }
    if (last != null) {
      bar.stepTo(last.step());
    }
    etaSeconds.put(result.task().name(), 0L);
    bar.setExtraMessage(TaskStatusText.outcome(result, last));
  }

  @Override
  public synchronized void close() {
    bars.values().forEach(ProgressBar::close);
    bars.clear();
  }
}
