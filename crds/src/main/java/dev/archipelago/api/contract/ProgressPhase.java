package dev.archipelago.api.contract;

/** What a trainer was doing when it wrote its progress. */
public enum ProgressPhase {
  /** Reading the config, the partition and, on a retry, the latest checkpoint. */
  Starting,
  Training,
  /** Uploading a checkpoint (also after SIGTERM, before exiting with PREEMPTED). */
  Checkpointing,
  /** The last step is done and the final checkpoint is in storage. */
  Completed,
  /** About to exit non-zero; the message says why. */
  Failed
}
