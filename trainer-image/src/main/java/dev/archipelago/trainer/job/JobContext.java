package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything a task needs from outside: its run config and task, object storage, a scratch
 * directory, the clock, the stop signal, how often to report progress and (for the partition) where
 * the operator wants clusters written outside the run's prefix. Built once in the CLI (or a test)
 * and passed in, so jobs have no hidden inputs.
 */
public record JobContext(
    RunConfig config,
    Task task,
    ObjectStores stores,
    Path scratch,
    Clock clock,
    StopSignal stop,
    Duration progressInterval,
    ClusterLocations clusterLocations) {

  /** A context whose clusters all go under the run's own prefix. */
  public JobContext(
      RunConfig config,
      Task task,
      ObjectStores stores,
      Path scratch,
      Clock clock,
      StopSignal stop,
      Duration progressInterval) {
    this(
        config,
        task,
        stores,
        scratch,
        clock,
        stop,
        progressInterval,
        new ClusterLocations(java.util.List.of()));
  }

  /** The store of the run's own bucket (checkpoints, progress, partition). */
  public ObjectStore runStore() {
    return stores.forBucket(config.storage().bucket());
  }
}
