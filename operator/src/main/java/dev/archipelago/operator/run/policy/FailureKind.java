package dev.archipelago.operator.run.policy;

/** Why a trainer Job failed, as far as retries are concerned. */
public enum FailureKind {
  /** Eviction, preemption or node loss: not the trainer's fault. */
  DISRUPTION,
  /** The trainer checkpointed after SIGTERM and asked to be resumed (exit 75). */
  PREEMPTED,
  /** An exit code the run's policy calls permanent: no further attempt. */
  PERMANENT,
  /** Any other failure: another attempt, counted against maxRestarts. */
  RETRYABLE
}
