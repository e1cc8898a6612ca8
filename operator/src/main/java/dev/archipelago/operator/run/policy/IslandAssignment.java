package dev.archipelago.operator.run.policy;

import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.spec.ExpertPlacement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which island each expert trains on: explicit placements first, then the rest spread evenly in
 * expert order over spec.islands, always onto the island with the fewest experts so far (ties go to
 * the island listed first). Deterministic, so every reconcile computes the same answer.
 */
public final class IslandAssignment {
  private IslandAssignment() {}

  public static Map<Integer, String> assign(DDMRunSpec spec) {
    int experts = spec.getPartitioning().getExperts();
    List<String> islands = spec.getIslands();
    Map<Integer, String> assignment = new LinkedHashMap<>();
    Map<String, Integer> load = new HashMap<>();
    islands.forEach(i -> load.put(i, 0));
    if (spec.getPlacement() != null) {
      for (ExpertPlacement p : spec.getPlacement()) {
        assignment.put(p.getExpert(), p.getIsland());
        load.merge(p.getIsland(), 1, Integer::sum);
      }
    }
    for (int k = 0; k < experts; k++) {
      if (assignment.containsKey(k)) {
        continue;
      }
      String least = islands.get(0);
      for (String island : islands) {
        if (load.get(island) < load.get(least)) {
          least = island;
        }
      }
      assignment.put(k, least);
      load.merge(least, 1, Integer::sum);
    }
    Map<Integer, String> ordered = new LinkedHashMap<>();
    for (int k = 0; k < experts; k++) {
      ordered.put(k, assignment.get(k));
    }
    return ordered;
  }
}
