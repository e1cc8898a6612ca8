package dev.archipelago.api.status;

/** Where one expert or the router is. */
public enum WorkerPhase {
  /** Waiting for the partition, for capacity, or for its pod to start. */
  Pending,
  Running,
  Succeeded,
  /** Failed for good: a permanent exit code or maxRestarts used up. */
  Failed,
  Suspended
}
