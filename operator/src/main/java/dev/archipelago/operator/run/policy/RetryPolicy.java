package dev.archipelago.operator.run.policy;

import dev.archipelago.api.spec.FailurePolicySpec;

/**
 * What happens after a trainer's attempt failed: another attempt (resuming from the latest
 * checkpoint) or a permanent failure. Disruptions and preemptions are free unless the run counts
 * disruptions; everything else uses up one of maxRestarts.
 */
public final class RetryPolicy {
  private RetryPolicy() {}

  /**
   * @param restartsSoFar failed attempts already counted against maxRestarts
   */
  public static Decision decide(FailurePolicySpec spec, JobFailure failure, int restartsSoFar) {
    boolean countDisruptions = Boolean.TRUE.equals(spec.getCountDisruptions());
    switch (failure.kind()) {
      case PERMANENT:
        return Decision.fail(
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
   * @param reason why the worker fails for good, when it does
   */
  public record Decision(
      boolean retry, boolean countsAsRestart, boolean disruption, String reason) {
    static Decision retry(boolean counts, boolean disruption) {
      return new Decision(true, counts, disruption, null);
    }

    static Decision fail(String reason) {
      return new Decision(false, false, false, reason);
    }
  }
}
