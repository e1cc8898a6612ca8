package dev.archipelago.trainer.partition;

import java.util.function.BooleanSupplier;

/**
 * Polled between units of partition work (a batch of images, a k-means iteration) so that a stop
 * request (SIGTERM before a pod is killed) ends the partition within seconds instead of running on
 * until the grace period's SIGKILL. Nothing is written before the end, and a retry starts over: the
 * partition is deterministic.
 */
public final class PartitionStop {
  public static final PartitionStop NEVER = new PartitionStop(() -> false);

  private final BooleanSupplier requested;

  public PartitionStop(BooleanSupplier requested) {
    this.requested = requested;
  }

  /**
   * @param during what the partition was doing, for the log
   * @throws PartitionStoppedException when a stop was requested
   */
  void check(String during) {
    if (requested.getAsBoolean()) {
      throw new PartitionStoppedException("stop requested during " + during);
    }
  }
}
