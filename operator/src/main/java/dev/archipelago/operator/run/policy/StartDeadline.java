package dev.archipelago.operator.run.policy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * spec.failurePolicy.pendingTimeoutSeconds: how long an attempt's Job may exist without its pod
 * running before the run is Stalled, with the pod's own reason.
 */
public record StartDeadline(long timeoutSeconds, Instant now) {

  /**
   * Why the worker is overdue, if its Job has waited longer than the timeout. Waiting for a queue's
   * admission is not overdue: the queue decides when quota frees.
   */
  public Optional<String> overdue(String worker, Job job, Pod pod) {
    if (PodWaiting.queued(job)) {
      return Optional.empty();
    }
    return waited(job)
        .filter(w -> w.toSeconds() >= timeoutSeconds)
        .map(
            w ->
                worker
                    + " has not started in "
                    + w.toSeconds()
                    + " s (spec.failurePolicy.pendingTimeoutSeconds="
                    + timeoutSeconds
                    + ")"
                    + PodWaiting.why(pod).map(why -> ": " + why).orElse(""));
  }

  /** Time left before the Job is overdue, if it is not yet. */
  public Optional<Duration> remaining(Job job) {
    if (PodWaiting.queued(job)) {
      return Optional.empty();
    }
    return waited(job)
        .map(w -> Duration.ofSeconds(timeoutSeconds).minus(w))
        .filter(left -> !left.isNegative() && !left.isZero());
  }

  private Optional<Duration> waited(Job job) {
    String created = job.getMetadata().getCreationTimestamp();
    return created == null
        ? Optional.empty()
        : Optional.of(Duration.between(Instant.parse(created), now));
  }
}
