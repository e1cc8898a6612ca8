package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.progress.ProgressFetcher;
import dev.archipelago.operator.run.progress.RunProgress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run's event sources besides the dependents' own informers: its pods (to see nodes and running
 * state), the ComputeIslands it names, and the storage poll of its trainers' progress. Also turns
 * their caches into an {@link Observed} snapshot.
 */
public final class RunEventSources {
  /** Storage polls in flight at once, over all runs. */
  static final int POLL_THREADS = 8;

  private final ProgressFetcher fetcher;
  private final Duration pollInterval;

  public RunEventSources(ProgressFetcher fetcher, Duration pollInterval) {
    this.fetcher = fetcher;
    this.pollInterval = pollInterval;
  }

  List<EventSource<?, DDMRun>> create(EventSourceContext<DDMRun> context) {
    InformerEventSource<Pod, DDMRun> pods = podsOfRuns(context, "pods");
    InformerEventSource<ComputeIsland, DDMRun> islands =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ComputeIsland.class, DDMRun.class)
                .withName("islands")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    island ->
                        context
                            .getPrimaryCache()
                            .list()
                            .filter(
                                r ->
                                    r.getSpec()
                                        .getIslands()
                                        .contains(island.getMetadata().getName()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (DDMRun run) ->
                        run.getSpec().getIslands().stream()
                            .map(name -> new ResourceID(name, null))
                            .collect(Collectors.toSet()))
                .build(),
            context);
    PerResourcePollingEventSource<RunProgress, DDMRun, String> progress =
        new PerResourcePollingEventSource<>(
            RunProgress.class,
            context,
            new PerResourcePollingConfigurationBuilder<RunProgress, DDMRun, String>(
                    fetcher, pollInterval)
                .withName("progress")
                // Runs are polled in parallel: one slow store delays only its own runs.
                .withExecutorService(pollThreads())
                // One snapshot per run: the run is its identity.
                .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
                .build());
    return List.of(pods, islands, progress);
  }

  /** The operator's pods (by their managed-by label), each mapped to its run by the run label. */
  static InformerEventSource<Pod, DDMRun> podsOfRuns(
      EventSourceContext<DDMRun> context, String name) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, DDMRun.class)
            .withName(name)
            .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
            // Pods are owned by Jobs, not by the run: map them through the run label.
            .withSecondaryToPrimaryMapper(
                pod ->
                    Set.of(
                        new ResourceID(
                            pod.getMetadata().getLabels().get(Labels.RUN),
                            pod.getMetadata().getNamespace())))
            .build(),
        context);
  }

  private static ScheduledExecutorService pollThreads() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newScheduledThreadPool(
        POLL_THREADS,
        r -> {
          Thread t = new Thread(r, "progress-poll-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  Observed observe(DDMRun run, Context<DDMRun> context) {
    String name = run.getMetadata().getName();
    Map<String, Job> jobs =
        context
            .getSecondaryResourcesAsStream(Job.class)
            .filter(j -> name.equals(j.getMetadata().getLabels().get(Labels.RUN)))
            .collect(Collectors.toMap(j -> j.getMetadata().getName(), Function.identity()));
    Map<String, Pod> newestPodOfJob = new HashMap<>();
    context
        .getSecondaryResourcesAsStream(Pod.class)
        .filter(p -> p.getMetadata().getLabels().containsKey("job-name"))
        .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
        .forEach(p -> newestPodOfJob.put(p.getMetadata().getLabels().get("job-name"), p));
    Map<String, ComputeIsland> islands =
        context
            .getSecondaryResourcesAsStream(ComputeIsland.class)
            .collect(Collectors.toMap(i -> i.getMetadata().getName(), Function.identity()));
    Map<String, Deployment> deployments =
        context
            .getSecondaryResourcesAsStream(Deployment.class)
            .filter(d -> name.equals(d.getMetadata().getLabels().get(Labels.RUN)))
            .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    RunProgress progress = context.getSecondaryResource(RunProgress.class).orElse(RunProgress.NONE);
    return new Observed(
        jobs,
        newestPodOfJob,
        islands,
        deployments,
        progress,
        Instant.now(),
        otherRunsExperts(run, context));
  }

  /** Unfinished expert Jobs of every other run the operator sees, by island. */
  @SuppressWarnings("unchecked")
  private static Map<String, Integer> otherRunsExperts(DDMRun run, Context<DDMRun> context) {
    InformerEventSource<Job, DDMRun> all =
        (InformerEventSource<Job, DDMRun>)
            context.eventSourceRetriever().getEventSourceFor(Job.class);
    Map<String, Integer> byIsland = new HashMap<>();
    all.list(
            j -> {
              Map<String, String> labels = j.getMetadata().getLabels();
              boolean sameRun =
                  run.getMetadata().getNamespace().equals(j.getMetadata().getNamespace())
                      && run.getMetadata().getName().equals(labels.get(Labels.RUN));
              return !sameRun
                  && Role.EXPERT.label().equals(labels.get(Labels.ROLE))
                  && labels.containsKey(Labels.ISLAND)
                  && !PodFailureRules.succeeded(j)
                  && !PodFailureRules.failed(j);
            })
        .forEach(
            j -> byIsland.merge(j.getMetadata().getLabels().get(Labels.ISLAND), 1, Integer::sum));
    return byIsland;
  }
}
