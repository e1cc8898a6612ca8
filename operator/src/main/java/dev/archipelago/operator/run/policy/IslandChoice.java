package dev.archipelago.operator.run.policy;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.status.ConditionType;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a worker's next attempt goes. Its own island (from spec) when that can run it; with
 * failover, otherwise the island it last ran on, otherwise the run's island with the fewest
 * workers. An island cannot run an attempt when it does not exist or reports no ready node.
 */
public final class IslandChoice {
  private final List<String> runIslands;
  private final Map<String, ComputeIsland> islands;
  private final boolean failover;

  public IslandChoice(
      List<String> runIslands, Map<String, ComputeIsland> islands, boolean failover) {
    this.runIslands = runIslands;
    this.islands = islands;
    this.failover = failover;
  }

  /**
   * @param home the island spec assigns
   * @param last where the worker's previous attempt ran, if anywhere
   * @param excluded islands that just failed it (an attempt that never started there)
   * @param load the run's workers per island, to spread moved ones
   */
  public Optional<String> next(
      String home, String last, Set<String> excluded, Map<String, Integer> load) {
    if (!excluded.contains(home) && canRun(home)) {
      return Optional.of(home);
    }
    if (!failover) {
      return Optional.empty();
    }
    if (last != null && !excluded.contains(last) && canRun(last)) {
      return Optional.of(last);
    }
    return runIslands.stream()
        .filter(i -> !excluded.contains(i) && canRun(i))
        .min(Comparator.comparingInt((String i) -> load.getOrDefault(i, 0)));
  }

  /** Why the island cannot run an attempt, or empty if it can. */
  public Optional<String> whyNot(String island) {
    ComputeIsland found = islands.get(island);
    if (found == null) {
      return Optional.of("ComputeIsland " + island + " does not exist");
    }
    if (found.getStatus() == null || found.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return found.getStatus().getConditions().stream()
        .filter(c -> ConditionType.READY.equals(c.getType()))
        .filter(c -> ConditionType.FALSE.equals(c.getStatus()))
        .findFirst()
        .map(c -> "island " + island + " is not Ready: " + c.getMessage());
  }

  public boolean canRun(String island) {
    return whyNot(island).isEmpty();
  }

  public boolean failover() {
    return failover;
  }

  /** The first of the islands that can run an attempt, for the run-wide tasks. */
  public Optional<String> firstThatCanRun(Collection<String> candidates) {
    return candidates.stream().filter(this::canRun).findFirst();
  }
}
