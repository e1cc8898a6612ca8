package dev.archipelago.trainer.job;

/** The run config or task cannot work, and no retry would help: the task exits with BAD_CONFIG. */
public final class BadConfigException extends RuntimeException {
  public BadConfigException(String message) {
    super(message);
  }

  public BadConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
