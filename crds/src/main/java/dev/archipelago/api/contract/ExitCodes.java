package dev.archipelago.api.contract;

import dev.archipelago.api.spec.ExitCodeAction;

/**
 * How a trainer ends. The operator applies the run's failurePolicy.exitCodeRules first and falls
 * back to {@link #defaultAction(int)}.
 */
public final class ExitCodes {
  /** Finished the task; its outputs are complete in storage. */
  public static final int OK = 0;

  /** Something went wrong that another attempt may not hit (I/O, OOM, a bug that is flaky). */
  public static final int FAILURE = 1;

  /** The run config or task is unusable; retrying cannot help, so the expert fails at once. */
  public static final int BAD_CONFIG = 2;

  /**
   * SIGTERM received, a checkpoint written, exited cleanly: resume later. Like a disruption, it
   * does not count against maxRestarts (75 is EX_TEMPFAIL in sysexits.h).
   */
  public static final int PREEMPTED = 75;

  private ExitCodes() {}

  /** True for codes that must fail the expert without another attempt. */
  public static boolean isPermanent(int code) {
    return code == BAD_CONFIG;
  }

  /** True for codes that ask for a resume that is not the trainer's fault. */
  public static boolean isPreempted(int code) {
    return code == PREEMPTED;
  }

  /** What to do with a non-zero code no exitCodeRule matched. */
  public static ExitCodeAction defaultAction(int code) {
    if (code == OK) {
      throw new IllegalArgumentException("exit code 0 is success, not a failure");
    }
    return isPermanent(code) ? ExitCodeAction.Fail : ExitCodeAction.Retry;
  }
}
