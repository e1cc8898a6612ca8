package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.trainer.checkpoint.CheckpointStore;
import dev.archipelago.trainer.checkpoint.ConfigHashMismatchException;
import dev.archipelago.trainer.checkpoint.RestoredCheckpoint;
import dev.archipelago.trainer.checkpoint.TrainingCheckpoint;
import dev.archipelago.trainer.checkpoint.TrainingPosition;
import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.train.DataParallelTrainer;
import dev.archipelago.trainer.train.LossScaler;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every trainer (expert or router) runs: resume from {@code latest} if there is one, train
 * to the last step, checkpoint every {@code checkpointEvery} steps and at the end, and stop early
 * on request (finish the step, checkpoint, return PREEMPTED).
 */
public final class TrainingLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  /** One optimisation step of the trainer on a batch; returns its loss. */
  public interface BatchStep {
    float trainStep(List<Sample> batch);
  }

  /**
   * A trainer as the loop sees it: its step on a batch, and the state it checkpoints and resumes.
   */
  public record Trainer(BatchStep batchStep, DataParallelTrainer core) {}

  /** Opens the data stream at a cursor (after a resume, the checkpoint's). */
  public interface DataStreams {
    ShuffledSampleStream open(DataCursor cursor) throws IOException;
  }

  /** Run before every checkpoint (the router measures its held-out accuracy there). */
  public interface CheckpointHook {
    void beforeCheckpoint(long step);
  }

  /**
   * @param totalSteps steps to train in all
   * @param batchSize samples per step
   * @param checkpointEvery steps between periodic checkpoints
   * @param attempt the task's attempt, stamped into checkpoint pointers
   */
  public record Settings(long totalSteps, int batchSize, long checkpointEvery, int attempt) {}

  private final Settings settings;
  private final Trainer trainer;
  private final DataStreams streams;
  private final CheckpointStore checkpoints;
  private final ProgressReporter progress;
  private final StopSignal stop;
  private final CheckpointHook hook;

  private ShuffledSampleStream data;
  private long skippedBefore;

  public TrainingLoop(
      Settings settings,
      Trainer trainer,
      DataStreams streams,
      CheckpointStore checkpoints,
      ProgressReporter progress,
      StopSignal stop,
      CheckpointHook hook) {
    this.settings = settings;
    this.trainer = trainer;
    this.streams = streams;
    this.checkpoints = checkpoints;
    this.progress = progress;
    this.stop = stop;
    this.hook = hook;
  }

  /** Trains; returns {@link ExitCodes#OK} when done or {@link ExitCodes#PREEMPTED} when stopped. */
  public int run() throws IOException, ConfigHashMismatchException {
    DataParallelTrainer core = trainer.core();
    TrainingCheckpoint content =
        new TrainingCheckpoint(core.parameters(), core.optimizer(), core.ema(), this::position);
    Optional<RestoredCheckpoint> restored = checkpoints.restoreLatest(content);
    DataCursor cursor = DataCursor.START;
    String message = null;
    Long checkpointStep = null;
    if (restored.isPresent()) {
      TrainingPosition position = content.restored();
      LOG.info("resuming training from {} (step {})", restored.get().directory(), position.step());
      core.resumeAt(position.step());
      if (position.lossScale() != null) {
        core.lossScaler().importState(position.lossScale());
      }
      cursor = position.cursor();
      skippedBefore = position.skippedSamples();
      checkpointStep = position.step();
      if (!restored.get().rejected().isEmpty()) {
        message =
            "resumed from step "
                + position.step()
                + " after rejecting "
                + restored.get().rejected();
      }
    }
    data = streams.open(cursor);
    try {
      return train(checkpointStep, message);
    } finally {
      data.close();
    }
  }

  private int train(Long checkpointStep, String message) throws IOException {
    progress.start(trainer.core().step(), checkpointStep, skipped(), message);
    if (trainer.core().step() >= settings.totalSteps()) {
      LOG.info("already trained to step {}; nothing to do", trainer.core().step());
      progress.completed(trainer.core().step(), skipped());
      return ExitCodes.OK;
    }
    while (trainer.core().step() < settings.totalSteps()) {
      float loss = trainer.batchStep().trainStep(data.nextBatch(settings.batchSize()));
      long step = trainer.core().step();
      progress.stepDone(step, loss, skipped(), data.clock().seconds());
      if (step == settings.totalSteps()) {
        break;
      }
      if (stop.stopRequested(step)) {
        checkpoint(step, "stop requested (preemption): checkpointing before exit");
        LOG.warn("stopped at step {} on request; exiting with PREEMPTED", step);
        return ExitCodes.PREEMPTED;
      }
      if (step % settings.checkpointEvery() == 0) {
        checkpoint(step, null);
      }
    }
    checkpoint(trainer.core().step(), "final checkpoint");
    progress.completed(trainer.core().step(), skipped());
    LOG.info("training complete at step {}", trainer.core().step());
    return ExitCodes.OK;
  }

  private void checkpoint(long step, String message) throws IOException {
    hook.beforeCheckpoint(step);
    LossScaler scaler = trainer.core().lossScaler();
    if (scaler.isDynamic()) {
      LOG.info(
          "fp16 loss scale {} at step {}; {} steps skipped for overflow so far",
          scaler.scale(),
          step,
          scaler.skippedSteps());
    }
    progress.checkpointing(step, skipped(), message);
    checkpoints.save(
        step,
        settings.attempt(),
        new TrainingCheckpoint(
            trainer.core().parameters(),
            trainer.core().optimizer(),
            trainer.core().ema(),
            this::position));
    progress.checkpointed(step, skipped());
  }

  private TrainingPosition position() {
    DataParallelTrainer core = trainer.core();
    return new TrainingPosition(
        core.step(),
        core.optimizer().steps(),
        data.cursor(),
        skipped(),
        core.lossScaler().isDynamic() ? core.lossScaler().exportState() : null);
  }

  private long skipped() {
    return skippedBefore + (data == null ? 0 : data.skipped().total());
  }
}
