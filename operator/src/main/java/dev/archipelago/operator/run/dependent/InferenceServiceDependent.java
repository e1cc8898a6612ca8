package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Service in front of the serving router. */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class InferenceServiceDependent extends CRUDKubernetesDependentResource<Service, DDMRun> {

  public InferenceServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(DDMRun run, Context<DDMRun> context) {
    return ServingObjects.service(run);
  }
}
