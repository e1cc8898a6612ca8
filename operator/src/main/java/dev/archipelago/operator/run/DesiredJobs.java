package dev.archipelago.operator.run;

import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.dependent.Rendering;
import dev.archipelago.operator.run.policy.PodFailureRules;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trainer Jobs a plan wants. Jobs are created and deleted, never updated: a Job that exists
 * stays exactly as it is for as long as the plan names it, whatever the spec says now, so that an
 * edit can never be refused by the API server (a Job's pod template is immutable) nor kill running
 * work. A Job the plan does not name is deleted. Where an existing, unfinished Job was rendered
 * from another spec than the current one, the worker is noted: the edit reaches its next attempt.
 */
final class DesiredJobs {
  private final Observed observed;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<String> staleWorkers = new ArrayList<>();

  DesiredJobs(Observed observed) {
    this.observed = observed;
  }

  /** Keeps the Job if it exists; never creates it. */
  void keepIfPresent(String name) {
    observed.job(name).ifPresent(j -> jobs.put(name, j));
  }

  /**
   * Keeps the Job if it exists, else creates it from {@code rendering} (when there is one: a
   * rendering needs the worker's island).
   *
   * @param worker how status names the worker, e.g. "expert 3"
   */
  void keepOrCreate(String name, Optional<Rendering> rendering, String worker) {
    Optional<Job> existing = observed.job(name);
    if (existing.isEmpty()) {
      rendering.ifPresent(r -> jobs.put(name, r.job()));
      return;
    }
    jobs.put(name, existing.get());
    if (rendering.isPresent()
        && !isFinished(existing.get())
        && !JobRenderer.renderedSpec(existing.get())
            .equals(Optional.of(rendering.get().specHash()))) {
      staleWorkers.add(worker);
    }
  }

  /** Drops every unfinished Job (suspend): their pods get SIGTERM and checkpoint. */
  void dropUnfinished() {
    jobs.values().removeIf(j -> !isFinished(j));
    staleWorkers.clear();
  }

  Map<String, Job> jobs() {
    return jobs;
  }

  /** Workers whose running attempt was rendered from an earlier spec. */
  List<String> staleWorkers() {
    return List.copyOf(staleWorkers);
  }

  static boolean isFinished(Job job) {
    return PodFailureRules.succeeded(job) || PodFailureRules.failed(job);
  }
}
