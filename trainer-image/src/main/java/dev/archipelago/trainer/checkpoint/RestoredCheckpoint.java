package dev.archipelago.trainer.checkpoint;

import java.util.List;

/**
 * The checkpoint a trainer resumed from.
 *
 * @param step its step
 * @param directory its key prefix
 * @param rejected newer checkpoints that failed verification, one line each (for logs and progress)
 */
public record RestoredCheckpoint(long step, String directory, List<String> rejected) {
  public RestoredCheckpoint {
    rejected = List.copyOf(rejected);
  }
}
