package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * All trainer Jobs of a run (partition, one per expert attempt, router): exactly the set the plan
 * names. Create and delete only: a Job that exists is never updated, because its pod template and
 * podFailurePolicy are immutable and an update would be refused; a spec edit reaches the next
 * attempt (see {@code DesiredJobs}). Jobs the plan no longer names are deleted.
 *
 * <p>Missing Jobs are created concurrently: JOSDK's bulk reconciler creates one per request in
 * turn, which for a 64-expert run puts 64 round trips between the partition's success and the last
 * expert's pod.
 */
@KubernetesDependent(
    // A plain create: a Job is never updated, so server-side apply's field ownership buys
    // nothing, and the API server does less work per Job (64 at once for a large run).
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class TrainingJobsDependent extends CRUDKubernetesDependentResource<Job, DDMRun>
    implements CRUDKubernetesBulkDependentResource<Job, DDMRun> {

  /** Concurrent creates per reconcile; the API server's client-side rate limit still applies. */
  static final int CREATE_THREADS = 16;

  private final ExecutorService creates =
      Executors.newFixedThreadPool(CREATE_THREADS, TrainingJobsDependent::createThread);

  public TrainingJobsDependent() {
    super(Job.class);
  }

  @Override
  public ReconcileResult<Job> reconcile(DDMRun run, Context<DDMRun> context) {
    Map<ResourceID, Job> existing = getSecondaryResources(run, context);
    List<Job> missing =
        desiredResources(run, context).entrySet().stream()
            .filter(e -> !existing.containsKey(e.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    if (missing.size() > 1) {
      createAll(run, missing, context);
    }
    // The created Jobs are in the event source's cache now: the bulk reconcile finds them and
    // only deletes what the plan no longer names.
    return super.reconcile(run, context);
  }

  private static Thread createThread(Runnable task) {
    Thread thread = new Thread(task, "job-create");
    thread.setDaemon(true);
    return thread;
  }

  private void createAll(DDMRun run, List<Job> missing, Context<DDMRun> context) {
    List<CompletableFuture<Void>> all =
        missing.stream()
            .map(
                job ->
                    CompletableFuture.runAsync(
                        () -> onCreated(run, create(job, run, context), context), creates))
            .toList();
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      // The first refusal fails the reconcile as a sequential create would; the Jobs that were
      // created stay, and the retry creates the rest.
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
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
