package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.operator.run.Observed;
import dev.archipelago.operator.run.RunPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * The reconciler hands its plan (and what it was made from) to the dependents and to its own error
 * handler through the workflow context.
 */
public final class Plans {
  private Plans() {}

  public static void put(Context<DDMRun> context, RunPlan plan, Observed observed) {
    context.managedWorkflowAndDependentResourceContext().put(RunPlan.class, plan);
    context.managedWorkflowAndDependentResourceContext().put(Observed.class, observed);
  }

  public static RunPlan of(Context<DDMRun> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(RunPlan.class, RunPlan.class);
  }

  public static Optional<RunPlan> find(Context<DDMRun> context) {
    return context.managedWorkflowAndDependentResourceContext().get(RunPlan.class, RunPlan.class);
  }

  public static Optional<Observed> observed(Context<DDMRun> context) {
    return context.managedWorkflowAndDependentResourceContext().get(Observed.class, Observed.class);
  }
}
