package dev.archipelago.trainer.serve;

import java.time.Duration;

/**
 * When a request's time is up, and whether its client is still there; its generation checks both
 * before every model evaluation.
 */
record Deadline(long nanoTime, Duration timeout, Cancellation cancellation) {
  static Deadline after(Duration timeout) {
    return after(timeout, Cancellation.never());
  }

  static Deadline after(Duration timeout, Cancellation cancellation) {
    return new Deadline(System.nanoTime() + timeout.toNanos(), timeout, cancellation);
  }

  /**
   * Throws once the client has gone or the time is up, so the generation stops: for nobody in the
   * first case, answered 504 in the second.
   */
  void check() {
    if (cancellation.cancelled()) {
      throw new ClientGoneException();
    }
    if (System.nanoTime() - nanoTime > 0) {
      throw new DeadlineExceededException(
          "the generation did not finish within its " + timeout.toSeconds() + " s deadline");
    }
  }

  /** A request's deadline passed before its images were done. */
  static final class DeadlineExceededException extends RuntimeException {
    DeadlineExceededException(String message) {
      super(message);
    }
  }

  /** A request's client disconnected before its images were done; nobody is left to answer. */
  static final class ClientGoneException extends RuntimeException {
    ClientGoneException() {
      super("the client disconnected", null, false, false);
    }
  }
}
