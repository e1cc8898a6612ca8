package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.Service;
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

/**
 * The serving Services: the one clients call (in front of the router), and in the distributed
 * topology one per expert, which the router reaches by name.
 */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class InferenceServicesDependent extends CRUDKubernetesDependentResource<Service, DDMRun>
    implements CRUDKubernetesBulkDependentResource<Service, DDMRun> {

  public InferenceServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(DDMRun run, Context<DDMRun> context) {
    Map<ResourceID, Service> desired = new LinkedHashMap<>();
    ServingObjects.services(run).forEach(s -> desired.put(ResourceID.fromResource(s), s));
    return desired;
  }

  @Override
  public Map<ResourceID, Service> getSecondaryResources(DDMRun run, Context<DDMRun> context) {
    return context
        .getSecondaryResourcesAsStream(Service.class)
        .filter(
            s -> run.getMetadata().getName().equals(s.getMetadata().getLabels().get(Labels.RUN)))
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }
}
