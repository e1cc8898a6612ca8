package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.operator.run.ChildNames;
import dev.archipelago.operator.run.RunPlanner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The run config (the contract's RunConfig, no credentials) that every pod of the run mounts. */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class RunConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, DDMRun> {

  public RunConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(DDMRun run, Context<DDMRun> context) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ChildNames.configMap(run.getMetadata().getName()))
        .withNamespace(run.getMetadata().getNamespace())
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .addToLabels(Labels.RUN, run.getMetadata().getName())
        .endMetadata()
        .addToData(PodEnv.CONFIG_MAP_KEY, RunPlanner.runConfigJson(run))
        .build();
  }
}
