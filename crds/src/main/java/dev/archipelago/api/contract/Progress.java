package dev.archipelago.api.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a trainer reports in its {@code progress.json}, overwritten every few seconds. The operator
 * polls it and copies it into the run's status; it never drives decisions (pod and Job state do).
 *
 * @param phase what the trainer is doing
 * @param attempt attempt that wrote the report; the operator ignores reports of older attempts
 * @param step last completed optimiser step
 * @param totalSteps steps the trainer will run
 * @param loss exponentially smoothed training loss, null before the first step
 * @param samplesPerSecond recent throughput, images per second
 * @param etaSeconds estimated seconds to the last step
 * @param lastCheckpointStep step of the newest complete checkpoint, null if none
 * @param skippedSamples samples skipped as unreadable so far (a rising count hints at bad shards)
 * @param updatedAt when the report was written
 * @param message free text for humans, for example why the trainer failed
 * @param routerAccuracy router only: held-out accuracy per noise level; null for experts
 * @param dataWaitFraction share of recent training time spent waiting for data (0 when the loader
 *     keeps up; near 1 when the step waits on shards or decoding); null before it is measured
 */
public record Progress(
    ProgressPhase phase,
    int attempt,
    long step,
    long totalSteps,
    Double loss,
    Double samplesPerSecond,
    Long etaSeconds,
    Long lastCheckpointStep,
    long skippedSamples,
    Instant updatedAt,
    String message,
    List<NoiseLevelAccuracy> routerAccuracy,
    Double dataWaitFraction) {

  public Progress {
    routerAccuracy = routerAccuracy == null ? null : List.copyOf(routerAccuracy);
  }

  /** The router's accuracy averaged over noise levels, if this is a router report. */
  @JsonIgnore
  public OptionalDouble meanRouterAccuracy() {
    return routerAccuracy == null
        ? OptionalDouble.empty()
        : routerAccuracy.stream().mapToDouble(NoiseLevelAccuracy::accuracy).average();
  }
}
