package dev.archipelago.operator.run.policy;

import dev.archipelago.api.ComputeIsland;
import java.util.HashMap;
import java.util.Map;

/**
 * Each island's maxConcurrentExperts, counted over every run on it: experts holding a Job take a
 * slot first (so lowering the limit never kills a running one), then new attempts take what is left
 * in expert order.
 */
public final class IslandSlots {
  private final Map<String, Integer> limits = new HashMap<>();
  private final Map<String, Integer> used;

  /**
   * @param islands the run's islands that exist, by name
   * @param otherRuns unfinished expert Jobs of other runs, by island
   */
  public IslandSlots(Map<String, ComputeIsland> islands, Map<String, Integer> otherRuns) {
    islands.forEach(
        (name, island) -> {
          if (island.getSpec().getMaxConcurrentExperts() != null) {
            limits.put(name, island.getSpec().getMaxConcurrentExperts());
          }
        });
    this.used = new HashMap<>(otherRuns);
  }

  /** Counts a slot taken on the island, whether or not it was free. */
  public void take(String island) {
    used.merge(island, 1, Integer::sum);
  }

  public boolean free(String island) {
    Integer limit = limits.get(island);
    return limit == null || used.getOrDefault(island, 0) < limit;
  }

  public Integer limit(String island) {
    return limits.get(island);
  }
}
