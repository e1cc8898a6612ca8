package dev.archipelago.api.status;

/** Where a DDMRun is in its life; conditions say whether it is healthy there. */
public enum RunPhase {
  /** Accepted; children not yet created. */
  Pending,
  /** The encode Job is turning the images into latents (runs with spec.dataset.encode). */
  Encoding,
  /** The partition Job is clustering the data. */
  Partitioning,
  /** Experts (and the router) are training. */
  Training,
  /** The ensemble is trained and the student is being distilled (runs with spec.distillation). */
  Distilling,
  /** Every expert and the router succeeded and the ensemble is being served. */
  Serving,
  /** Training finished and inference is disabled. */
  Succeeded,
  /** An expert, the partition, the router or the distillation failed for good. */
  Failed,
  /** spec.suspend is true; pods are stopped and checkpoints kept. */
  Suspended
}
