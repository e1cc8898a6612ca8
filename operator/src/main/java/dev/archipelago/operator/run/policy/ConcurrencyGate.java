package dev.archipelago.operator.run.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Honours each island's maxConcurrentExperts: of the experts that still have work, at most that
 * many per island hold a Job at once, lowest expert index first. Experts already holding a Job keep
 * it, so raising the limit starts more and lowering it never kills a running one.
 */
public final class ConcurrencyGate {
  private ConcurrencyGate() {}

  /**
   * @param assignment expert to island
   * @param unfinished experts that have not succeeded or failed for good
   * @param holdingJob experts whose current attempt already has a Job
   * @param limits island to maxConcurrentExperts; an island absent here has no limit
   * @return the experts that may have a Job now
   */
  public static Set<Integer> admitted(
      Map<Integer, String> assignment,
      Set<Integer> unfinished,
      Set<Integer> holdingJob,
      Map<String, Integer> limits) {
    Set<Integer> admitted = new TreeSet<>();
    Map<String, Integer> used = new HashMap<>();
    for (int k : new TreeSet<>(unfinished)) {
      if (holdingJob.contains(k)) {
        admitted.add(k);
        used.merge(assignment.get(k), 1, Integer::sum);
      }
    }
    for (int k : new TreeSet<>(unfinished)) {
      if (admitted.contains(k)) {
        continue;
      }
      String island = assignment.get(k);
      Integer limit = limits.get(island);
      if (limit == null || used.getOrDefault(island, 0) < limit) {
        admitted.add(k);
        used.merge(island, 1, Integer::sum);
      }
    }
    return admitted;
  }
}
