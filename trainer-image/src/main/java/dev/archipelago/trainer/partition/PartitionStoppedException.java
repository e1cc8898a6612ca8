package dev.archipelago.trainer.partition;

/** The partition ended early on a stop request; it wrote nothing. */
public final class PartitionStoppedException extends RuntimeException {
  public PartitionStoppedException(String message) {
    super(message);
  }
}
