package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.operator.run.RunPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The reconciler hands its plan to the dependents through the workflow context. */
public final class Plans {
  private Plans() {}

  public static void put(Context<DDMRun> context, RunPlan plan) {
    context.managedWorkflowAndDependentResourceContext().put(RunPlan.class, plan);
  }

  public static RunPlan of(Context<DDMRun> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(RunPlan.class, RunPlan.class);
  }
}
