package dev.archipelago.trainer.checkpoint;

import dev.archipelago.api.contract.StorageLayout;
import java.util.function.LongFunction;

/**
 * Where one trainer's checkpoints live, all keys taken from the contract's {@link StorageLayout}:
 * the directory holding every {@code step-<n>/}, one such directory, and the {@code latest}
 * pointer.
 */
public record CheckpointLocation(String root, LongFunction<String> stepDirectory, String latest) {

  public static CheckpointLocation forExpert(StorageLayout layout, int expert) {
    return new CheckpointLocation(
        layout.expertCheckpoints(expert),
        step -> layout.expertCheckpoint(expert, step),
        layout.expertLatestCheckpoint(expert));
  }

  public static CheckpointLocation forRouter(StorageLayout layout) {
    return new CheckpointLocation(
        layout.routerCheckpoints(), layout::routerCheckpoint, layout.routerLatestCheckpoint());
  }

  /** The distilled student's. */
  public static CheckpointLocation forStudent(StorageLayout layout) {
    return new CheckpointLocation(
        layout.distillationCheckpoints(),
        layout::distillationCheckpoint,
        layout.distillationLatestCheckpoint());
  }

  public String directory(long step) {
    return stepDirectory.apply(step);
  }
}
