package dev.archipelago.trainer.checkpoint;

/**
 * The latest checkpoint was written under another run config (dataset, partitioning or model
 * changed): resuming would mix two models, and retrying cannot help, so the task exits with
 * BAD_CONFIG.
 */
public final class ConfigHashMismatchException extends Exception {
  public ConfigHashMismatchException(String latestKey, String found, String expected) {
    super(
        latestKey
            + " was written with config hash "
            + found
            + " but this run's is "
            + expected
            + ": dataset, partitioning or model changed; refusing to resume from it");
  }
}
