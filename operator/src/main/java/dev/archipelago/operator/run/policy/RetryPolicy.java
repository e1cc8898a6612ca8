package dev.archipelago.operator.run.policy;

import dev.archipelago.api.spec.FailurePolicySpec;

/**
 * What happens after a trainer's attempt failed: another attempt (resuming from the latest
 * checkpoint) or a permanent failure. Disruptions and preemptions are free unless the run counts
 * disruptions; everything else uses up one of maxRestarts.
 */
public final class RetryPolicy {
  /** status failureReason of a worker failed by an exit code the policy calls permanent. */
  public static final String PERMANENT_EXIT_CODE = "PermanentExitCode";

  /** status failureReason of a worker that used up maxRestarts; raising it re-opens the worker. */
  public static final String RESTARTS_EXHAUSTED = "RestartsExhausted";

  private RetryPolicy() {}

  /**
   * @param restartsSoFar failed attempts already counted against maxRestarts
   */
  public static Decision decide(FailurePolicySpec spec, JobFailure failure, int restartsSoFar) {
    boolean countDisruptions = Boolean.TRUE.equals(spec.getCountDisruptions());
    switch (failure.kind()) {
      case PERMANENT:
        return Decision.fail(
            PERMANENT_EXIT_CODE,
            "exit code "
                + failure.exitCode().orElse(-1)
                + " is permanent under spec.failurePolicy: "
                + failure.detail());
      case DISRUPTION:
      case PREEMPTED:
        if (!countDisruptions) {
          return Decision.retry(false, failure.kind() == FailureKind.DISRUPTION);
        }
        break;
      default:
        break;
    }
    int max = spec.getMaxRestarts() == null ? 0 : spec.getMaxRestarts();
    if (restartsSoFar >= max) {
      return Decision.fail(
          RESTARTS_EXHAUSTED,
          "failed after "
              + restartsSoFar
              + " restarts (spec.failurePolicy.maxRestarts="
              + max
              + "): "
              + failure.detail());
    }
    return Decision.retry(true, failure.kind() == FailureKind.DISRUPTION);
  }

  /**
   * @param retry start another attempt
   * @param countsAsRestart the attempt uses up one of maxRestarts
   * @param disruption the failure was a disruption (reported separately in status)
   * @param failureReason PERMANENT_EXIT_CODE or RESTARTS_EXHAUSTED, when the worker fails
   * @param reason why the worker fails for good, when it does
   */
  public record Decision(
      boolean retry,
      boolean countsAsRestart,
      boolean disruption,
      String failureReason,
      String reason) {
    static Decision retry(boolean counts, boolean disruption) {
      return new Decision(true, counts, disruption, null, null);
    }

    static Decision fail(String failureReason, String reason) {
      return new Decision(false, false, false, failureReason, reason);
    }
  }
}
