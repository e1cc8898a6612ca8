package dev.archipelago.api.spec;

/** What a matching exit code does to the expert whose pod ended with it. */
public enum ExitCodeAction {
  /** Start a new attempt (counts against maxRestarts). */
  Retry,
  /** Fail the expert at once; the run can no longer finish and becomes Stalled. */
  Fail
}
