package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.NoiseLevelAccuracy;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.trainer.storage.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a trainer's {@link Progress} to its contract key: at most once per interval while
 * training, and always on a phase change (checkpointing, completed, failed). Progress is for
 * display, so a failed write is logged and training goes on.
 */
public final class ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  /** Smoothing of the reported loss: about the last 50 steps count. */
  private static final double LOSS_SMOOTHING = 0.98;

  private final ObjectStore store;
  private final String key;
  private final int attempt;
  private final long totalSteps;
  private final int batchSize;
  private final Clock clock;
  private final Duration interval;

  private Double smoothedLoss;
  private Instant lastWrite;
  private long stepAtLastRate;
  private Instant timeAtLastRate;
  private Double samplesPerSecond;
  private Double dataWaitFraction;
  private double waitAtLastRate;
  private Long lastCheckpointStep;
  private List<NoiseLevelAccuracy> routerAccuracy;

  public ProgressReporter(
      ObjectStore store,
      String key,
      int attempt,
      long totalSteps,
      int batchSize,
      Clock clock,
      Duration interval) {
    this.store = store;
    this.key = key;
    this.attempt = attempt;
    this.totalSteps = totalSteps;
    this.batchSize = batchSize;
    this.clock = clock;
    this.interval = interval;
  }

  /** Where training (re)starts: throughput is measured from here. */
  public void start(long step, Long checkpointStep, long skipped, String message) {
    lastCheckpointStep = checkpointStep;
    stepAtLastRate = step;
    timeAtLastRate = clock.instant();
    write(ProgressPhase.Starting, step, skipped, message);
  }

  /**
   * After every step; writes when the interval has passed.
   *
   * @param dataWaitSeconds time spent waiting for data so far (the loader's clock)
   */
  public void stepDone(long step, float loss, long skipped, double dataWaitSeconds) {
    smoothedLoss =
        smoothedLoss == null ? loss : LOSS_SMOOTHING * smoothedLoss + (1 - LOSS_SMOOTHING) * loss;
    Instant now = clock.instant();
    if (lastWrite == null || !now.isBefore(lastWrite.plus(interval))) {
      updateRate(step, now, dataWaitSeconds);
      write(ProgressPhase.Training, step, skipped, null);
    }
  }

  public void routerAccuracy(List<NoiseLevelAccuracy> accuracy) {
    this.routerAccuracy = List.copyOf(accuracy);
  }

  public void checkpointing(long step, long skipped, String message) {
    write(ProgressPhase.Checkpointing, step, skipped, message);
  }

  public void checkpointed(long step, long skipped) {
    lastCheckpointStep = step;
    write(ProgressPhase.Training, step, skipped, null);
  }

  public void completed(long step, long skipped) {
    write(ProgressPhase.Completed, step, skipped, null);
  }

  public void failed(long step, long skipped, String message) {
    write(ProgressPhase.Failed, step, skipped, message);
  }

  /** The last smoothed loss, null before the first step. */
  public Double smoothedLoss() {
    return smoothedLoss;
  }

  private void updateRate(long step, Instant now, double dataWaitSeconds) {
    double seconds = Duration.between(timeAtLastRate, now).toNanos() / 1e9;
    if (seconds > 0 && step > stepAtLastRate) {
      samplesPerSecond = (step - stepAtLastRate) * (double) batchSize / seconds;
      dataWaitFraction = Math.min(1, Math.max(0, (dataWaitSeconds - waitAtLastRate) / seconds));
      stepAtLastRate = step;
      timeAtLastRate = now;
      waitAtLastRate = dataWaitSeconds;
    }
  }

  private void write(ProgressPhase phase, long step, long skipped, String message) {
    Long eta = null;
    if (samplesPerSecond != null && samplesPerSecond > 0) {
      eta = Math.round((totalSteps - step) * (double) batchSize / samplesPerSecond);
    }
    Instant now = clock.instant();
    Progress progress =
        new Progress(
            phase,
            attempt,
            step,
            totalSteps,
            smoothedLoss,
            samplesPerSecond,
            eta,
            lastCheckpointStep,
            skipped,
            now,
            message,
            routerAccuracy,
            dataWaitFraction);
    try {
      store.put(key, ContractJson.writeBytes(progress));
      lastWrite = now;
    } catch (IOException e) {
      LOG.warn("could not write progress to {}: {}", key, e.toString());
    }
  }
}
