package dev.archipelago.trainer.serve;

import java.time.Duration;

/** When a request's time is up; its generation checks before every model evaluation. */
record Deadline(long nanoTime, Duration timeout) {
  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
  }

  /** Throws once the time is up, so the generation stops and its request is answered 504. */
  void check() {
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
}
