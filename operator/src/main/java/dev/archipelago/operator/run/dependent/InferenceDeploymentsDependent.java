package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
    Optional<ComputeIsland> home = home(run, context);
    if (home.isEmpty()) {
      // Serving does not depend on the island's object: without it the Deployments stay as they
      // are (see match), they are not deleted.
      return getSecondaryResources(run, context);
    }
    Map<ResourceID, Deployment> desired = new LinkedHashMap<>();
    ServingObjects.deployments(Plans.of(context), home.get())
        .values()
        .forEach(d -> desired.put(ResourceID.fromResource(d), d));
    return desired;
  }

  @Override
  public Matcher.Result<Deployment> match(
      Deployment actual, Deployment desired, DDMRun run, Context<DDMRun> context) {
    if (home(run, context).isEmpty()) {
      return Matcher.Result.nonComputed(true);
    }
    return super.match(actual, desired, run, context);
  }

  private static Optional<ComputeIsland> home(DDMRun run, Context<DDMRun> context) {
    return context
        .getSecondaryResourcesAsStream(ComputeIsland.class)
        .filter(i -> i.getMetadata().getName().equals(run.getSpec().getIslands().get(0)))
        .findFirst();
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
