package dev.archipelago.operator.run.policy;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.spec.IslandStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each cluster's shards should go: the bucket of the island its expert is placed on, when
 * that island names one ({@code ComputeIsland.spec.storage}). Decided from the first placement
 * ({@link IslandAssignment}), not from failover, so that the data stays where it was written; an
 * expert that fails over reads it from there.
 */
public final class ClusterPlacement {
  private ClusterPlacement() {}

  /** Empty when no island of the run has a bucket (every cluster under the run's prefix). */
  public static Optional<ClusterLocations> locations(
      DDMRun run, Map<Integer, String> assignment, Map<String, ComputeIsland> islands) {
    List<ClusterLocations.Location> located = new ArrayList<>();
    assignment.forEach(
        (expert, islandName) -> {
          ComputeIsland island = islands.get(islandName);
          IslandStorage storage =
              island == null || island.getSpec() == null ? null : island.getSpec().getStorage();
          if (storage != null) {
            located.add(
                new ClusterLocations.Location(
                    expert,
                    storage.getBucket(),
                    storage.getRegion(),
                    ClusterLocations.islandPrefix(
                        storage.getPrefix(),
                        run.getMetadata().getNamespace(),
                        run.getMetadata().getName(),
                        run.getMetadata().getUid(),
                        expert)));
          }
        });
    located.sort(java.util.Comparator.comparingInt(ClusterLocations.Location::expert));
    return located.isEmpty() ? Optional.empty() : Optional.of(new ClusterLocations(located));
  }
}
