package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.StorageEgress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The run's NetworkPolicy exists unless {@code spec.storage.egress.enabled} is false. */
public class StorageEgressCondition implements Condition<Object, DDMRun> {
  @Override
  public boolean isMet(
      DependentResource<Object, DDMRun> dependent, DDMRun run, Context<DDMRun> context) {
    StorageEgress egress = run.getSpec().getStorage().getEgress();
    return egress == null || !Boolean.FALSE.equals(egress.getEnabled());
  }
}
