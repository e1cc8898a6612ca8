package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.operator.run.progress.RunProgress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator sees of a run at the start of a reconcile, all from informer caches and the
 * last storage poll: nothing here is fetched inside reconcile().
 *
 * @param jobs the run's trainer Jobs by name
 * @param pods the newest pod of each Job, by Job name
 * @param islands the ComputeIslands the run names that exist, by name
 * @param deployments the run's serving Deployments by name
 * @param progress the last poll of the run's storage
 * @param now when the snapshot was taken (pending timeouts are measured against it)
 * @param otherRunsExperts unfinished expert Jobs of other runs, by island (for island limits)
 */
public record Observed(
    Map<String, Job> jobs,
    Map<String, Pod> pods,
    Map<String, ComputeIsland> islands,
    Map<String, Deployment> deployments,
    RunProgress progress,
    Instant now,
    Map<String, Integer> otherRunsExperts) {

  public Optional<Job> job(String name) {
    return Optional.ofNullable(jobs.get(name));
  }

  public Optional<String> nodeOf(String jobName) {
    Pod pod = pods.get(jobName);
    return pod == null ? Optional.empty() : Optional.ofNullable(pod.getSpec().getNodeName());
  }
}
