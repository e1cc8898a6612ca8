package dev.archipelago.operator.run.status;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.StorageLocation;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.DDMRunStatus;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.InferenceStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.StatusCondition;
import dev.archipelago.api.status.TrainerStatus;
import dev.archipelago.operator.run.ChildNames;
import dev.archipelago.operator.run.Observed;
import dev.archipelago.operator.run.RunPlan;
import dev.archipelago.operator.run.dependent.ServingObjects;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a run's whole status in one place from the plan, the caches and the last storage poll.
 * Deterministic for unchanged inputs (conditions keep their transition times), so the reconciler
 * can skip the write when nothing changed.
 */
public final class RunStatusBuilder {
  private RunStatusBuilder() {}

  public static DDMRunStatus build(RunPlan plan, Observed observed, String now) {
    return build(plan, observed, now, Optional.empty());
  }

  /**
   * @param failure why the children could not be brought to the plan, if they could not; the
   *     generation counts as observed only when the reconcile succeeded or reached a verdict (a
   *     rejected child), not while a transient error is retried
   */
  public static DDMRunStatus build(
      RunPlan plan, Observed observed, String now, Optional<ReconcileFailure> failure) {
    DDMRun run = plan.run();
    long generation =
        run.getMetadata().getGeneration() == null ? 0 : run.getMetadata().getGeneration();
    List<StatusCondition> previous =
        run.getStatus() == null ? List.of() : run.getStatus().getConditions();
    DDMRunStatus status = new DDMRunStatus();
    status.setPhase(plan.phase());
    boolean retrying = failure.isPresent() && !failure.get().rejected();
    status.setObservedGeneration(
        retrying
            ? (run.getStatus() == null ? null : run.getStatus().getObservedGeneration())
            : Long.valueOf(generation));
    status.setEncode(plan.encode().orElse(null));
    status.setPartition(plan.partition());
    status.setObservedRetryNonce(run.getSpec().getFailurePolicy().getRetryNonce());
    observed.progress().clusterSizes().ifPresent(c -> status.setClusterSizes(c.sizes()));
    List<ExpertStatus> experts = new ArrayList<>();
    for (ExpertStatus e : plan.experts()) {
      Progress report = observed.progress().experts().get(e.getExpert());
      applyProgress(e, report);
      experts.add(e);
    }
    status.setExperts(experts);
    RouterStatus router = plan.router();
    observed
        .progress()
        .router()
        .ifPresent(
            p -> {
              applyProgress(router, p);
              p.meanRouterAccuracy().ifPresent(router::setAccuracy);
            });
    status.setRouter(router);
    plan.distillation()
        .ifPresent(
            student -> {
              observed.progress().distillation().ifPresent(p -> applyProgress(student, p));
              status.setDistillation(student);
            });
    int done = (int) plan.expertsSucceeded();
    status.setExpertsSucceeded(done);
    status.setExpertsTotal(experts.size());
    status.setExpertsSummary(done + "/" + experts.size());
    InferenceStatus inference = plan.serve() ? inference(run, observed.deployments()) : null;
    status.setInference(inference);
    status.setStoragePrefix(
        StorageLocation.of(
                run.getSpec().getStorage(),
                run.getMetadata().getNamespace(),
                run.getMetadata().getName(),
                run.getMetadata().getUid())
            .runPrefix());
    status.setConditions(conditions(plan, failure, inference, observed, previous, generation, now));
    return status;
  }

  private static List<StatusCondition> conditions(
      RunPlan plan,
      Optional<ReconcileFailure> failure,
      InferenceStatus inference,
      Observed observed,
      List<StatusCondition> previous,
      long generation,
      String now) {
    Optional<String> stall = plan.stalled();
    if (failure.isPresent() && failure.get().rejected()) {
      stall = Optional.of(stall.map(s -> s + "; ").orElse("") + failure.get().message());
    }
    boolean stalled = stall.isPresent();
    boolean servingReady = inference != null && Boolean.TRUE.equals(inference.getReady());
    boolean suspended = plan.phase() == RunPhase.Suspended;
    // Suspended is the state the spec asks for: Ready (reason Suspended), so that kstatus-based
    // waits (Flux, kpt, `kubectl wait`) settle on it instead of reading it as work in progress.
    boolean ready = !stalled && (plan.phase() == RunPhase.Succeeded || servingReady || suspended);
    boolean retrying = failure.isPresent() && !failure.get().rejected();
    boolean reconciling = !stalled && (retrying || (!ready && !suspended));
    String reconcilingMessage =
        plan.waiting().orElse(inference != null ? inference.getMessage() : "working");
    if (observed.progress().error().isPresent()) {
      reconcilingMessage += "; storage unreadable: " + observed.progress().error().get();
    }
    if (plan.specChange().isPresent()) {
      reconcilingMessage += "; " + plan.specChange().get();
    }
    if (failure.isPresent() && !failure.get().rejected()) {
      reconcilingMessage += "; " + failure.get().message();
    }
    List<StatusCondition> conditions = new ArrayList<>();
    conditions.add(
        Conditions.next(
            previous,
            ConditionType.READY,
            ready ? ConditionType.TRUE : ConditionType.FALSE,
            ready ? plan.phase().name() : stalled ? "Stalled" : plan.phase().name(),
            ready ? readyMessage(plan, inference) : stalled ? stall.get() : reconcilingMessage,
            generation,
            now));
    conditions.add(
        Conditions.next(
            previous,
            ConditionType.RECONCILING,
            reconciling ? ConditionType.TRUE : ConditionType.FALSE,
            reconciling ? plan.phase().name() : "Idle",
            reconciling ? reconcilingMessage : "",
            generation,
            now));
    conditions.add(
        Conditions.next(
            previous,
            ConditionType.STALLED,
            stalled ? ConditionType.TRUE : ConditionType.FALSE,
            stalled
                ? failure
                    .filter(ReconcileFailure::rejected)
                    .map(ReconcileFailure::eventReason)
                    .orElse("CannotFinish")
                : "Progressing",
            stalled ? stall.get() : "",
            generation,
            now));
    return conditions;
  }

  private static String readyMessage(RunPlan plan, InferenceStatus inference) {
    if (plan.phase() == RunPhase.Suspended) {
      return "suspended: no trainer pod runs, checkpoints are kept; spec.suspend=false resumes";
    }
    return plan.serve() ? "serving at " + inference.getEndpoint() : "training finished";
  }

  private static void applyProgress(TrainerStatus worker, Progress report) {
    // Reports of a newer attempt than the plan knows cannot exist; older ones are the last known
    // figures of this worker and stay visible until the new attempt writes its own.
    if (report == null || report.attempt() > worker.getAttempt()) {
      return;
    }
    worker.setStep(report.step());
    worker.setTotalSteps(report.totalSteps());
    worker.setLoss(report.loss());
    worker.setSamplesPerSecond(report.samplesPerSecond());
    worker.setDataWaitFraction(report.dataWaitFraction());
    worker.setEtaSeconds(report.etaSeconds());
    worker.setLatestCheckpoint(report.lastCheckpointStep());
    worker.setLastProgressTime(report.updatedAt() == null ? null : report.updatedAt().toString());
  }

  private static InferenceStatus inference(DDMRun run, Map<String, Deployment> deployments) {
    InferenceSpec spec = run.getSpec().getInference();
    String name = run.getMetadata().getName();
    List<String> wanted = new ArrayList<>();
    wanted.add(ChildNames.inferenceRouter(name));
    if (ServingObjects.distributed(spec)) {
      for (int k = 0; k < run.getSpec().getPartitioning().getExperts(); k++) {
        wanted.add(ChildNames.inferenceExpert(name, k));
      }
    }
    int ready = 0;
    List<String> notReady = new ArrayList<>();
    for (String d : wanted) {
      Deployment deployment = deployments.get(d);
      if (deployment != null && isReady(deployment)) {
        ready++;
      } else {
        notReady.add(d);
      }
    }
    InferenceStatus status = new InferenceStatus();
    status.setDeployments(wanted.size());
    status.setReadyDeployments(ready);
    status.setReady(ready == wanted.size());
    String service = ChildNames.service(name);
    status.setServiceName(service);
    status.setEndpoint("http://" + service + "." + run.getMetadata().getNamespace() + ".svc:8080");
    status.setMessage(
        notReady.isEmpty() ? null : "waiting for Deployments " + String.join(", ", notReady));
    return status;
  }

  private static boolean isReady(Deployment d) {
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    Integer have = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
    return have != null
        && have >= want
        && d.getStatus().getObservedGeneration() != null
        && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration();
  }
}
