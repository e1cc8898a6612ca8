package dev.archipelago.trainer.serve;

/**
 * Set when the client of a request has gone (its connection closed before the answer), so the work
 * done for it stops at its next model evaluation instead of running for nobody.
 */
final class Cancellation {
  private volatile boolean cancelled;

  static Cancellation never() {
    return new Cancellation();
  }

  void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }
}
