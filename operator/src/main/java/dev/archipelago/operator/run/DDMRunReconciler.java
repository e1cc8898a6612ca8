package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.DDMRunStatus;
import dev.archipelago.operator.metrics.RunMetrics;
import dev.archipelago.operator.run.dependent.InferenceDeploymentsDependent;
import dev.archipelago.operator.run.dependent.InferenceDisruptionBudgetsDependent;
import dev.archipelago.operator.run.dependent.InferenceServicesDependent;
import dev.archipelago.operator.run.dependent.Plans;
import dev.archipelago.operator.run.dependent.RunConfigMapDependent;
import dev.archipelago.operator.run.dependent.ServingCondition;
import dev.archipelago.operator.run.dependent.StorageEgressCondition;
import dev.archipelago.operator.run.dependent.TrainingJobsDependent;
import dev.archipelago.operator.run.dependent.TrainingNetworkPolicyDependent;
import dev.archipelago.operator.run.status.ReconcileFailure;
import dev.archipelago.operator.run.status.RunStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a DDMRun: observe (caches and the last storage poll), plan ({@link RunPlanner}), let
 * the workflow's dependents render the plan, then write status only when it changed.
 */
@ControllerConfiguration(name = "ddmrun")
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "run-config", type = RunConfigMapDependent.class),
      @Dependent(
          name = "network-policy",
          type = TrainingNetworkPolicyDependent.class,
          reconcilePrecondition = StorageEgressCondition.class),
      @Dependent(name = "jobs", type = TrainingJobsDependent.class, dependsOn = "run-config"),
      @Dependent(
          name = "serving-deployments",
          type = InferenceDeploymentsDependent.class,
          reconcilePrecondition = ServingCondition.class),
      @Dependent(
          name = "serving-services",
          type = InferenceServicesDependent.class,
          reconcilePrecondition = ServingCondition.class),
      @Dependent(
          name = "serving-disruption-budgets",
          type = InferenceDisruptionBudgetsDependent.class,
          reconcilePrecondition = ServingCondition.class)
    })
public class DDMRunReconciler implements Reconciler<DDMRun> {
  private static final Logger LOG = LoggerFactory.getLogger(DDMRunReconciler.class);

  private final RunPlanner planner;
  private final RunEventSources eventSources;
  private final RunEvents events;
  private final RunMetrics metrics;

  public DDMRunReconciler(
      RunPlanner planner, RunEventSources eventSources, RunEvents events, RunMetrics metrics) {
    this.planner = planner;
    this.eventSources = eventSources;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, DDMRun>> prepareEventSources(EventSourceContext<DDMRun> context) {
    return eventSources.create(context);
  }

  @Override
  public UpdateControl<DDMRun> reconcile(DDMRun run, Context<DDMRun> context) {
    Observed observed = eventSources.observe(run, context);
    RunPlan plan = planner.plan(run, observed);
    Plans.put(context, plan, observed);
    RunPlan unpublished = plan;
    if (run.getStatus() == null) {
      // GitOps tools read a run without status as settled; say what it is before any child exists.
      // The plan's run then carries it, so the status below keeps its conditions' times.
      DDMRunStatus first = RunStatusBuilder.build(plan, observed, now());
      writeStatus(run, first, plan, context);
      run.setStatus(first);
      unpublished = plan.withEvents(List.of());
    }
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    writeStatus(run, RunStatusBuilder.build(plan, observed, now()), unpublished, context);
    return plan.recheckIn()
        .map(d -> UpdateControl.<DDMRun>noUpdate().rescheduleAfter(d.plusSeconds(1)))
        .orElseGet(UpdateControl::noUpdate);
  }

  /**
   * A failed reconcile (a child refused by the API server, or a transient error) becomes status and
   * a Warning Event, not only a log line; JOSDK retries it with back-off.
   */
  @Override
  public ErrorStatusUpdateControl<DDMRun> updateErrorStatus(
      DDMRun run, Context<DDMRun> context, Exception e) {
    ReconcileFailure failure = ReconcileFailure.of(e);
    LOG.warn("reconcile failed: {}", failure.message());
    Optional<RunPlan> plan = Plans.find(context);
    Optional<Observed> observed = Plans.observed(context);
    if (plan.isEmpty() || observed.isEmpty()) {
      // Failed before a plan existed (a bug, or caches not ready): the event is all there is.
      events.publish(run, run.getStatus(), run.getStatus(), List.of(failure.event()));
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    DDMRunStatus status =
        RunStatusBuilder.build(plan.get(), observed.get(), now(), Optional.of(failure));
    List<RunEvent> decided = new ArrayList<>(plan.get().events());
    decided.add(failure.event());
    writeStatus(run, status, plan.get().withEvents(decided), context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Writes the status if it changed, with the events of the decisions behind it. */
  private DDMRun writeStatus(
      DDMRun run, DDMRunStatus status, RunPlan plan, Context<DDMRun> context) {
    if (status.equals(run.getStatus())) {
      return run;
    }
    events.publish(run, run.getStatus(), status, plan.events());
    metrics.record(run, status, plan.events());
    LOG.info("phase {}, experts {}", status.getPhase(), status.getExpertsSummary());
    DDMRun patch = new DDMRun();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(run.getMetadata().getName())
            .withNamespace(run.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    // Patch and cache the result, so that the next reconcile starts from this status even if the
    // informer has not delivered it yet (conditions keep their transition times).
    return PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(run, patch, context);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
