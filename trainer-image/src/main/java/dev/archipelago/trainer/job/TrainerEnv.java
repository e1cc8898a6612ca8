package dev.archipelago.trainer.job;

/**
 * Environment variables the trainer reads beyond the contract's {@code PodEnv}. They are the
 * trainer's own business (the operator never sets them); {@code archipelago local run} sets them
 * for its child processes.
 */
public final class TrainerEnv {
  /** Seconds between progress.json writes while training (decimals allowed); default 10. */
  public static final String PROGRESS_INTERVAL_SECONDS = "ARCHIPELAGO_PROGRESS_INTERVAL_SECONDS";

  /**
   * Pid of the process that started this one. When it exits, the trainer stops as on SIGTERM, so
   * that a parent killed with SIGKILL leaves no trainer behind.
   */
  public static final String PARENT_PID = "ARCHIPELAGO_PARENT_PID";

  private TrainerEnv() {}
}
