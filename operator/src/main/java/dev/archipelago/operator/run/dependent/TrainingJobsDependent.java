package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * All trainer Jobs of a run (partition, one per expert attempt, router): exactly the set the plan
 * names. Create and delete only: a Job that exists is never updated, because its pod template and
 * podFailurePolicy are immutable and an update would be refused; a spec edit reaches the next
 * attempt (see {@code DesiredJobs}). Jobs the plan no longer names are deleted.
 */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class TrainingJobsDependent extends CRUDKubernetesDependentResource<Job, DDMRun>
    implements CRUDKubernetesBulkDependentResource<Job, DDMRun> {

  public TrainingJobsDependent() {
    super(Job.class);
  }

  @Override
  public Map<ResourceID, Job> desiredResources(DDMRun run, Context<DDMRun> context) {
    Map<ResourceID, Job> existing = getSecondaryResources(run, context);
    Map<ResourceID, Job> desired = new LinkedHashMap<>();
    for (Job job : Plans.of(context).jobs().values()) {
      ResourceID id = ResourceID.fromResource(job);
      // A Job the plan keeps (it has a uid) and that is gone since the plan was made was deleted
      // by someone: it is never recreated from the plan's stale copy.
      if (job.getMetadata().getUid() == null || existing.containsKey(id)) {
        desired.put(id, job);
      }
    }
    return desired;
  }

  @Override
  public Matcher.Result<Job> match(Job actual, Job desired, DDMRun run, Context<DDMRun> context) {
    return Matcher.Result.nonComputed(true);
  }

  @Override
  public Map<ResourceID, Job> getSecondaryResources(DDMRun run, Context<DDMRun> context) {
    return context
        .getSecondaryResourcesAsStream(Job.class)
        .filter(
            j -> run.getMetadata().getName().equals(j.getMetadata().getLabels().get(Labels.RUN)))
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }
}
