package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Serving objects exist only once every expert and the router succeeded (and the student, for a run
 * that distils) and serving is on.
 */
public class ServingCondition implements Condition<Object, DDMRun> {
  @Override
  public boolean isMet(
      DependentResource<Object, DDMRun> dependent, DDMRun run, Context<DDMRun> context) {
    return Plans.of(context).serve();
  }
}
