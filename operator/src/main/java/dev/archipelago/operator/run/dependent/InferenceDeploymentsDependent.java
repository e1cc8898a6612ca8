package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.operator.run.RunPlan;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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

/** The serving Deployments: one colocated, or a router plus one per expert. */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class InferenceDeploymentsDependent
    extends CRUDKubernetesDependentResource<Deployment, DDMRun>
    implements CRUDKubernetesBulkDependentResource<Deployment, DDMRun> {

  public InferenceDeploymentsDependent() {
    super(Deployment.class);
  }

  @Override
  public Map<ResourceID, Deployment> desiredResources(DDMRun run, Context<DDMRun> context) {
    RunPlan plan = Plans.of(context);
    ComputeIsland home =
        context
            .getSecondaryResourcesAsStream(ComputeIsland.class)
            .filter(i -> i.getMetadata().getName().equals(run.getSpec().getIslands().get(0)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("home island vanished"));
    Map<ResourceID, Deployment> desired = new LinkedHashMap<>();
    ServingObjects.deployments(plan, home)
        .values()
        .forEach(d -> desired.put(ResourceID.fromResource(d), d));
    return desired;
  }

  @Override
  public Map<ResourceID, Deployment> getSecondaryResources(DDMRun run, Context<DDMRun> context) {
    return context
        .getSecondaryResourcesAsStream(Deployment.class)
        .filter(
            d -> run.getMetadata().getName().equals(d.getMetadata().getLabels().get(Labels.RUN)))
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }
}
