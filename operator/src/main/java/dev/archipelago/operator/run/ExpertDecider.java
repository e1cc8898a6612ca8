package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.spec.FailurePolicySpec;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.policy.JobFailure;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.policy.RetryPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One expert's state from its current attempt's Job. Idempotent: a failed attempt is acted on only
 * while it is the current attempt, and the next attempt number comes from the failed one, so
 * replaying a reconcile on a stale cache repeats the same decision instead of counting twice.
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

  ExpertStatus decide(int expert, ExpertStatus previous, String island) {
    ExpertStatus next = new ExpertStatus(expert);
    next.setIsland(island);
    int attempt = Math.max(orOne(previous.getAttempt()), highestAttemptOfJobs(expert));
    next.setAttempt(attempt);
    String jobName = ChildNames.expertJob(run.getMetadata().getName(), expert, attempt);
    Optional<Job> job = observed.job(jobName);
    // A stale status can lag the Jobs; the current attempt's Job records the counters it began
    // with.
    next.setRestarts(
        Math.max(orZero(previous.getRestarts()), recorded(job, JobRenderer.RESTARTS_BEFORE)));
    next.setDisruptions(
        Math.max(orZero(previous.getDisruptions()), recorded(job, JobRenderer.DISRUPTIONS_BEFORE)));
    if (previous.getPhase() == WorkerPhase.Failed) {
      next.setPhase(WorkerPhase.Failed);
      next.setMessage(previous.getMessage());
      return next;
    }
    // Derived, never carried over: why this attempt exists, read from the previous attempt's Job.
    next.setMessage(previousAttemptMessage(expert, attempt));
    observed.nodeOf(jobName).ifPresent(next::setNode);
    if (job.isEmpty()) {
      next.setPhase(WorkerPhase.Pending);
      return next;
    }
    if (PodFailureRules.succeeded(job.get())) {
      next.setPhase(WorkerPhase.Succeeded);
      next.setMessage(null);
      return next;
    }
    Optional<JobFailure> failure =
        rules.classify(job.get()).map(f -> f.explainedBy(observed.pods().get(jobName)));
    if (failure.isPresent()) {
      return afterFailure(next, failure.get());
    }
    next.setPhase(
        isRunning(observed.pods().get(jobName)) ? WorkerPhase.Running : WorkerPhase.Pending);
    return next;
  }

  private ExpertStatus afterFailure(ExpertStatus next, JobFailure failure) {
    FailurePolicySpec policy = run.getSpec().getFailurePolicy();
    RetryPolicy.Decision decision = RetryPolicy.decide(policy, failure, next.getRestarts());
    int expert = next.getExpert();
    int attempt = next.getAttempt();
    if (!decision.retry()) {
      next.setPhase(WorkerPhase.Failed);
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
        .flatMap(rules::classify)
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
    if (job.isEmpty() || job.get().getMetadata().getAnnotations() == null) {
      return 0;
    }
    try {
      return Integer.parseInt(
          job.get().getMetadata().getAnnotations().getOrDefault(annotation, "0"));
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
