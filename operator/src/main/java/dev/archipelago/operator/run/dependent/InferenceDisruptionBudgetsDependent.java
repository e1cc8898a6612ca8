package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A PodDisruptionBudget per serving Deployment, so voluntary evictions take one pod at a time. */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class InferenceDisruptionBudgetsDependent
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, DDMRun>
    implements CRUDKubernetesBulkDependentResource<PodDisruptionBudget, DDMRun> {

  public InferenceDisruptionBudgetsDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  public Map<ResourceID, PodDisruptionBudget> desiredResources(
      DDMRun run, Context<DDMRun> context) {
    Map<ResourceID, PodDisruptionBudget> desired = new LinkedHashMap<>();
    ServingObjects.disruptionBudgets(run).forEach(b -> desired.put(ResourceID.fromResource(b), b));
    return desired;
  }

  @Override
  public Map<ResourceID, PodDisruptionBudget> getSecondaryResources(
      DDMRun run, Context<DDMRun> context) {
    return context
        .getSecondaryResourcesAsStream(PodDisruptionBudget.class)
        .filter(
            b -> run.getMetadata().getName().equals(b.getMetadata().getLabels().get(Labels.RUN)))
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }
}
