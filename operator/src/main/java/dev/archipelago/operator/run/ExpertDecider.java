package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.spec.FailurePolicySpec;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.policy.JobFailure;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.policy.PodWaiting;
import dev.archipelago.operator.run.policy.RetryPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One expert's state from its last status, its current attempt's Job and its progress report.
 * Succeeded and Failed are durable: once in status they hold without the Job. Idempotent: a failed
 * attempt is acted on only while it is the current attempt, and the next attempt number comes from
 * the failed one, so replaying a reconcile on a stale cache repeats the same decision instead of
 * counting twice.
 */
final class ExpertDecider {
  private final DDMRun run;
  private final Observed observed;
  private final PodFailureRules rules;
  private final List<RunEvent> events;

  ExpertDecider(DDMRun run, Observed observed, PodFailureRules rules, List<RunEvent> events) {
    this.run = run;
    this.observed = observed;
    this.rules = rules;
    this.events = events;
  }

  /**
   * @param island the island spec assigns the expert
   */
  ExpertStatus decide(int expert, ExpertStatus previous, String island) {
    ExpertStatus next = new ExpertStatus(expert);
    Optional<Progress> report = Optional.ofNullable(observed.progress().experts().get(expert));
    int newestJob = highestAttemptOfJobs(expert);
    int attempt =
        Math.max(
            Math.max(orOne(previous.getAttempt()), newestJob),
            report.map(Progress::attempt).orElse(1));
    next.setAttempt(attempt);
    String jobName = ChildNames.expertJob(run.getMetadata().getName(), expert, attempt);
    Optional<Job> job = observed.job(jobName);
    // Where the current attempt runs, or ran last; the planner picks the island of a new attempt.
    next.setIsland(
        job.map(j -> j.getMetadata().getLabels().get(Labels.ISLAND))
            .orElse(previous.getIsland() != null ? previous.getIsland() : island));
    // A stale status can lag the Jobs; the current attempt's Job records the counters it began
    // with.
    next.setRestarts(
        Math.max(orZero(previous.getRestarts()), recorded(job, JobRenderer.RESTARTS_BEFORE)));
    next.setDisruptions(
        Math.max(orZero(previous.getDisruptions()), recorded(job, JobRenderer.DISRUPTIONS_BEFORE)));
    // Terminal states are durable: they outlive the attempt's Job. A status older than the newest
    // Job (a stale cache after a continuation or retry) is not terminal any more.
    boolean current = orOne(previous.getAttempt()) >= newestJob;
    if (current && previous.getPhase() == WorkerPhase.Failed) {
      return reopened(next, previous).orElseGet(() -> stillFailed(next, previous));
    }
    if (current && previous.getPhase() == WorkerPhase.Succeeded) {
      return finished(next, completedBefore(previous, report));
    }
    if (job.isEmpty()
        && report
            .filter(r -> r.phase() == ProgressPhase.Completed && r.attempt() == attempt)
            .isPresent()) {
      // The Job is gone (deleted on completion, or with a lost status): the trainer's own report
      // of its last step, in storage, rebuilds the success.
      return finished(next, report.get().step());
    }
    // Derived, never carried over: why this attempt exists, read from the previous attempt's Job.
    next.setMessage(previousAttemptMessage(expert, attempt));
    observed.nodeOf(jobName).ifPresent(next::setNode);
    if (job.isEmpty()) {
      next.setPhase(WorkerPhase.Pending);
      return next;
    }
    if (PodFailureRules.succeeded(job.get())) {
      return finished(next, completedBy(job.get(), attempt, report));
    }
    Optional<JobFailure> failure =
        rules
            .classify(job.get(), observed.pods().get(jobName))
            .map(f -> f.explainedBy(observed.pods().get(jobName)));
    if (failure.isPresent()) {
      return afterFailure(next, failure.get());
    }
    Pod pod = observed.pods().get(jobName);
    if (isRunning(pod)) {
      next.setPhase(WorkerPhase.Running);
    } else {
      next.setPhase(WorkerPhase.Pending);
      PodWaiting.why(job.get(), pod).ifPresent(why -> next.setMessage("waiting to start: " + why));
    }
    return next;
  }

  /**
   * A Failed expert gets another attempt when asked: a changed spec.failurePolicy.retryNonce
   * (restart count reset), or a maxRestarts raised above the restarts it used up.
   */
  private Optional<ExpertStatus> reopened(ExpertStatus next, ExpertStatus previous) {
    FailurePolicySpec policy = run.getSpec().getFailurePolicy();
    Long nonce = policy.getRetryNonce();
    Long observedNonce = run.getStatus() == null ? null : run.getStatus().getObservedRetryNonce();
    String why;
    if (nonce != null && !nonce.equals(observedNonce)) {
      next.setRestarts(0);
      why = "spec.failurePolicy.retryNonce changed to " + nonce;
    } else if (RetryPolicy.RESTARTS_EXHAUSTED.equals(previous.getFailureReason())
        && policy.getMaxRestarts() != null
        && policy.getMaxRestarts() > next.getRestarts()) {
      why = "spec.failurePolicy.maxRestarts raised to " + policy.getMaxRestarts();
    } else {
      return Optional.empty();
    }
    int attempt = next.getAttempt() + 1;
    next.setAttempt(attempt);
    next.setPhase(WorkerPhase.Pending);
    next.setMessage(why + ": attempt " + attempt + " resumes from the latest checkpoint");
    events.add(
        RunEvent.normal("ExpertRetried", "expert " + next.getExpert() + " " + next.getMessage()));
    return Optional.of(next);
  }

  private static ExpertStatus stillFailed(ExpertStatus next, ExpertStatus previous) {
    next.setPhase(WorkerPhase.Failed);
    next.setMessage(previous.getMessage());
    next.setFailureReason(previous.getFailureReason());
    return next;
  }

  /**
   * An expert that trained {@code completed} steps: Succeeded if that meets the step target, else
   * (the target was raised) a continuation attempt that resumes from its last checkpoint.
   */
  private ExpertStatus finished(ExpertStatus next, long completed) {
    long target = run.getSpec().getTraining().getSteps();
    if (completed >= target) {
      next.setPhase(WorkerPhase.Succeeded);
      next.setCompletedSteps(completed);
      next.setMessage(
          completed > target
              ? "finished at "
                  + completed
                  + " steps; training.steps is now "
                  + target
                  + ", lower: the expert keeps its "
                  + completed
                  + "-step weights"
              : null);
      return next;
    }
    int attempt = next.getAttempt() + 1;
    next.setAttempt(attempt);
    next.setPhase(WorkerPhase.Pending);
    next.setMessage(
        "training.steps raised to "
            + target
            + ": attempt "
            + attempt
            + " continues from the checkpoint at step "
            + completed);
    events.add(
        RunEvent.normal("ExpertContinued", "expert " + next.getExpert() + " " + next.getMessage()));
    return next;
  }

  /** Steps a previously succeeded expert trained; older statuses did not record them. */
  private long completedBefore(ExpertStatus previous, Optional<Progress> report) {
    if (previous.getCompletedSteps() != null) {
      return previous.getCompletedSteps();
    }
    return report
        .filter(r -> r.phase() == ProgressPhase.Completed)
        .map(Progress::step)
        .orElse(run.getSpec().getTraining().getSteps());
  }

  /**
   * Steps trained by an attempt whose Job just succeeded: the trainer's final report when the poll
   * has it, else the target the attempt was rendered with (its report may not be polled yet).
   */
  private long completedBy(Job job, int attempt, Optional<Progress> report) {
    Optional<Long> reported =
        report
            .filter(r -> r.phase() == ProgressPhase.Completed && r.attempt() == attempt)
            .map(Progress::step);
    if (reported.isPresent()) {
      return reported.get();
    }
    long target = recordedLong(Optional.of(job), JobRenderer.TARGET_STEPS);
    return target > 0 ? target : run.getSpec().getTraining().getSteps();
  }

  private ExpertStatus afterFailure(ExpertStatus next, JobFailure failure) {
    FailurePolicySpec policy = run.getSpec().getFailurePolicy();
    RetryPolicy.Decision decision = RetryPolicy.decide(policy, failure, next.getRestarts());
    int expert = next.getExpert();
    int attempt = next.getAttempt();
    if (!decision.retry()) {
      next.setPhase(WorkerPhase.Failed);
      next.setFailureReason(decision.failureReason());
      next.setMessage("expert " + expert + " attempt " + attempt + ": " + decision.reason());
      events.add(RunEvent.warning("ExpertFailed", next.getMessage()));
      return next;
    }
    next.setAttempt(attempt + 1);
    next.setPhase(WorkerPhase.Pending);
    if (decision.countsAsRestart()) {
      next.setRestarts(next.getRestarts() + 1);
    }
    if (decision.disruption()) {
      next.setDisruptions(next.getDisruptions() + 1);
    }
    String why = failure.kind().name().toLowerCase(java.util.Locale.ROOT);
    next.setMessage(
        "attempt "
            + attempt
            + " ended ("
            + why
            + ": "
            + failure.detail()
            + "); attempt "
            + (attempt + 1)
            + " resumes from the latest checkpoint");
    events.add(
        RunEvent.warning(
            decision.countsAsRestart() ? "ExpertRestarted" : "ExpertRescheduled",
            "expert " + expert + " " + next.getMessage()));
    return next;
  }

  private String previousAttemptMessage(int expert, int attempt) {
    if (attempt < 2) {
      return null;
    }
    String failedJob = ChildNames.expertJob(run.getMetadata().getName(), expert, attempt - 1);
    return observed
        .job(failedJob)
        .flatMap(j -> rules.classify(j, observed.pods().get(failedJob)))
        .map(f -> f.explainedBy(observed.pods().get(failedJob)))
        .map(f -> retryMessage(attempt - 1, f))
        .orElse(null);
  }

  private static String retryMessage(int failedAttempt, JobFailure failure) {
    String why = failure.kind().name().toLowerCase(java.util.Locale.ROOT);
    return "attempt "
        + failedAttempt
        + " ended ("
        + why
        + ": "
        + failure.detail()
        + "); attempt "
        + (failedAttempt + 1)
        + " resumes from the latest checkpoint";
  }

  private int highestAttemptOfJobs(int expert) {
    int highest = 0;
    for (Job job : observed.jobs().values()) {
      Map<String, String> labels = job.getMetadata().getLabels();
      if (labels != null
          && Role.EXPERT.label().equals(labels.get(Labels.ROLE))
          && Integer.toString(expert).equals(labels.get(Labels.EXPERT))) {
        try {
          highest = Math.max(highest, Integer.parseInt(labels.get(Labels.ATTEMPT)));
        } catch (NumberFormatException ignored) {
          // a Job someone else labelled: not ours to count
        }
      }
    }
    return highest;
  }

  private static int recorded(Optional<Job> job, String annotation) {
    return (int) recordedLong(job, annotation);
  }

  private static long recordedLong(Optional<Job> job, String annotation) {
    if (job.isEmpty() || job.get().getMetadata().getAnnotations() == null) {
      return 0;
    }
    try {
      return Long.parseLong(job.get().getMetadata().getAnnotations().getOrDefault(annotation, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static boolean isRunning(Pod pod) {
    return pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static int orOne(Integer v) {
    return v == null || v < 1 ? 1 : v;
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
