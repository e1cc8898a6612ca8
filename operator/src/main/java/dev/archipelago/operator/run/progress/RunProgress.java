package dev.archipelago.operator.run.progress;

import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.Progress;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's trainers last wrote to storage: whether the encode stage finished (its report),
 * cluster sizes once the partition is complete, and the progress reports of each expert, the router
 * and (runs that distil) the student. A value, so that the polling event source can tell whether
 * anything changed since the last poll.
 *
 * @param error why storage could not be read, if it could not (shown in status, retried next poll)
 */
public record RunProgress(
    boolean encoded,
    Optional<ClusterSizes> clusterSizes,
    Map<Integer, Progress> experts,
    Optional<Progress> router,
    Optional<Progress> distillation,
    Optional<String> error) {

  public static final RunProgress NONE =
      new RunProgress(
          false, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

  public RunProgress {
    experts = Map.copyOf(experts);
  }

  public static RunProgress unreadable(String error) {
    return new RunProgress(
        false, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.of(error));
  }
}
