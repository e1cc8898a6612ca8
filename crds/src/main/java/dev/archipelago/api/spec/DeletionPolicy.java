package dev.archipelago.api.spec;

/** What happens to a run's stored data when the DDMRun is deleted. */
public enum DeletionPolicy {
  /** Keep everything under the run prefix (checkpoints are expensive to recompute). */
  Retain,
  /** Delete the run prefix before the DDMRun goes away (a finalizer waits for it). */
  Delete
}
