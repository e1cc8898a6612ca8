package dev.archipelago.trainer.job;

/**
 * Asks a training loop to stop early: it finishes the current step, writes a checkpoint and exits
 * with PREEMPTED. The partition, which has no steps, polls it with 0 and ends without writing. In a
 * pod the source is SIGTERM ({@link SigtermStopSignal}); tests stop at a step.
 */
@FunctionalInterface
public interface StopSignal {
  /** Whether to stop after {@code completedSteps} steps. */
  boolean stopRequested(long completedSteps);

  StopSignal NEVER = step -> false;
}
