package dev.archipelago.trainer.local;

/**
 * A manifest that cannot run: unreadable, without exactly one DDMRun, or with a field the API
 * server would reject. The message names the field; {@code local run} exits with BAD_CONFIG.
 */
public final class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
