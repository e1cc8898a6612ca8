package dev.archipelago.operator.run;

import dev.archipelago.api.status.TrainerStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.dependent.Rendering;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.policy.PodWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * A worker of the whole run trained by one Job whose retries the Job controller owns: the router,
 * and the student of a run that distils. Its success is durable (status, or a Completed progress
 * report), whatever became of its Job; no Job is created before its prerequisites are done.
 *
 * @param job the Job's name
 * @param what how messages name the worker, e.g. "router"
 * @param rendering the Job to create, where its island exists
 */
record RunWideWorker(String job, String what, Optional<Rendering> rendering) {

  /**
   * Fills {@code worker}, which comes at attempt 1, Pending, on the island its Job would use.
   *
   * @param previous its status before this reconcile, if any
   * @param reportedCompleted its progress report says Completed
   * @param ready its prerequisites are done, so its Job may be created
   * @param waiting the message while it is not ready, if any
   */
  <S extends TrainerStatus> S plan(
      S worker,
      S previous,
      boolean reportedCompleted,
      boolean ready,
      String waiting,
      Observed observed,
      PodFailureRules rules,
      DesiredJobs jobs) {
    boolean done =
        (previous != null && previous.getPhase() == WorkerPhase.Succeeded) || reportedCompleted;
    if (done) {
      jobs.keepIfPresent(job);
      worker.setPhase(WorkerPhase.Succeeded);
      if (previous != null) {
        worker.setAttempt(previous.getAttempt());
        worker.setRestarts(previous.getRestarts());
        worker.setIsland(previous.getIsland());
      }
      return worker;
    }
    Optional<Job> existing = observed.job(job);
    if (!ready) {
      jobs.keepIfPresent(job);
      if (existing.isEmpty()) {
        worker.setMessage(waiting);
        return worker;
      }
      // Its prerequisites regressed under it (an expert continues): the attempt keeps running.
    } else {
      jobs.keepOrCreate(job, rendering, "the " + what);
    }
    observed.nodeOf(job).ifPresent(worker::setNode);
    existing.ifPresent(j -> jobState(worker, j, rules, observed));
    return worker;
  }

  /** Attempts and phase from the Job, whose controller retries the pod up to maxRestarts. */
  private void jobState(TrainerStatus worker, Job j, PodFailureRules rules, Observed observed) {
    Integer failed = j.getStatus() == null ? null : j.getStatus().getFailed();
    worker.setRestarts(failed == null ? 0 : failed);
    worker.setAttempt(1 + worker.getRestarts());
    Pod pod = observed.pods().get(job);
    if (PodFailureRules.succeeded(j, pod)) {
      worker.setPhase(WorkerPhase.Succeeded);
    } else if (PodFailureRules.failed(j)) {
      worker.setPhase(WorkerPhase.Failed);
      worker.setMessage(
          what
              + " Job "
              + job
              + " failed: "
              + rules.classify(j, pod).map(f -> f.explainedBy(pod).detail()).orElse(""));
    } else if (ExpertDecider.isRunning(pod)) {
      worker.setPhase(WorkerPhase.Running);
    } else {
      worker.setPhase(WorkerPhase.Pending);
      PodWaiting.why(j, pod).ifPresent(w -> worker.setMessage("waiting to start: " + w));
    }
  }
}
