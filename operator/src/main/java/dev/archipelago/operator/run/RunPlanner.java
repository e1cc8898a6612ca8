package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.policy.ConcurrencyGate;
import dev.archipelago.operator.run.policy.IslandAssignment;
import dev.archipelago.operator.run.policy.PodFailureRules;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a run's plan from its spec, its last status and what the caches show: partition first;
 * once it succeeded, every expert (each on its island, within the island's concurrency limit) and
 * the router in parallel; then serving. Pure: no API calls, so it is unit-tested without a cluster.
 */
public final class RunPlanner {
  private final OperatorConfig config;

  public RunPlanner(OperatorConfig config) {
    this.config = config;
  }

  public RunPlan plan(DDMRun run, Observed observed) {
    DDMRunSpec spec = run.getSpec();
    boolean suspend = Boolean.TRUE.equals(spec.getSuspend());
    String image = spec.getImage() != null ? spec.getImage() : config.defaultTrainerImage();
    JobRenderer render = new JobRenderer(run, image);
    PodFailureRules rules = new PodFailureRules(spec.getFailurePolicy());
    List<RunEvent> events = new ArrayList<>();
    List<String> stalled = new ArrayList<>();
    Map<String, Job> jobs = new LinkedHashMap<>();

    for (String island : spec.getIslands()) {
      if (!observed.islands().containsKey(island)) {
        stalled.add("ComputeIsland " + island + " (spec.islands) does not exist");
      }
    }
    Optional<ComputeIsland> home =
        Optional.ofNullable(observed.islands().get(spec.getIslands().get(0)));

    String partitionName = ChildNames.partitionJob(run.getMetadata().getName());
    Optional<Job> partition = observed.job(partitionName);
    boolean partitionDone = partition.map(PodFailureRules::succeeded).orElse(false);
    partition
        .flatMap(rules::classify)
        .map(f -> f.explainedBy(observed.pods().get(partitionName)))
        .ifPresent(f -> stalled.add("partition Job " + partitionName + " failed: " + f.detail()));
    home.ifPresent(i -> jobs.put(partitionName, render.partition(i)));

    Map<Integer, String> assignment = IslandAssignment.assign(spec);
    List<ExpertStatus> experts =
        planExperts(run, observed, rules, events, assignment, partitionDone, render, jobs);
    experts.stream()
        .filter(e -> e.getPhase() == WorkerPhase.Failed)
        .forEach(e -> stalled.add(e.getMessage()));

    RouterStatus router = new RouterStatus();
    router.setAttempt(1);
    router.setPhase(WorkerPhase.Pending);
    home.ifPresent(i -> router.setIsland(i.getMetadata().getName()));
    if (partitionDone && home.isPresent()) {
      String routerName = ChildNames.routerJob(run.getMetadata().getName(), 1);
      Optional<Job> routerJob = observed.job(routerName);
      jobs.put(routerName, render.router(home.get()));
      observed.nodeOf(routerName).ifPresent(router::setNode);
      routerJob.ifPresent(j -> routerState(router, j, rules, observed, routerName, stalled));
    }
    if (suspend) {
      // Suspending deletes the unfinished Jobs (their pods get SIGTERM and checkpoint); resuming
      // recreates them under the same names and attempts. Job.spec.suspend is not used: the Job
      // controller would run the killed pods through podFailurePolicy and fail the attempt.
      jobs.keySet().removeIf(name -> !observed.job(name).map(RunPlanner::isFinished).orElse(false));
      experts.stream()
          .filter(e -> !isFinished(e.getPhase()))
          .forEach(e -> e.setPhase(WorkerPhase.Suspended));
      if (!isFinished(router.getPhase())) {
        router.setPhase(WorkerPhase.Suspended);
      }
    }

    boolean trained =
        partitionDone
            && router.getPhase() == WorkerPhase.Succeeded
            && experts.stream().allMatch(e -> e.getPhase() == WorkerPhase.Succeeded);
    boolean serve = trained && Boolean.TRUE.equals(spec.getInference().getEnabled()) && !suspend;
    Optional<String> stall =
        stalled.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", stalled));
    boolean failed =
        partition.map(PodFailureRules::failed).orElse(false)
            || router.getPhase() == WorkerPhase.Failed
            || experts.stream().anyMatch(e -> e.getPhase() == WorkerPhase.Failed);
    RunPhase phase = phase(suspend, failed, home.isPresent(), partitionDone, trained, serve);
    return new RunPlan(
        run,
        phase,
        image,
        partitionDone,
        jobs,
        serve,
        experts,
        router,
        stall,
        waiting(partitionDone, experts, router, trained),
        events);
  }

  private List<ExpertStatus> planExperts(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      List<RunEvent> events,
      Map<Integer, String> assignment,
      boolean partitionDone,
      JobRenderer render,
      Map<String, Job> jobs) {
    ExpertDecider decider = new ExpertDecider(run, observed, rules, events);
    Map<Integer, ExpertStatus> previous = previousExperts(run);
    List<ExpertStatus> experts = new ArrayList<>();
    for (Map.Entry<Integer, String> e : assignment.entrySet()) {
      ExpertStatus prev = previous.getOrDefault(e.getKey(), new ExpertStatus(e.getKey()));
      ExpertStatus next = decider.decide(e.getKey(), prev, e.getValue());
      if (!partitionDone && next.getPhase() == WorkerPhase.Pending) {
        next.setMessage("waiting for the partition");
      }
      experts.add(next);
    }
    if (!partitionDone) {
      return experts;
    }
    Set<Integer> unfinished = new HashSet<>();
    Set<Integer> holdingJob = new HashSet<>();
    for (ExpertStatus e : experts) {
      String name =
          ChildNames.expertJob(run.getMetadata().getName(), e.getExpert(), e.getAttempt());
      if (!isFinished(e.getPhase())) {
        unfinished.add(e.getExpert());
      }
      if (observed.jobs().containsKey(name)) {
        holdingJob.add(e.getExpert());
      }
    }
    Map<String, Integer> limits = new HashMap<>();
    observed
        .islands()
        .forEach(
            (name, island) -> {
              if (island.getSpec().getMaxConcurrentExperts() != null) {
                limits.put(name, island.getSpec().getMaxConcurrentExperts());
              }
            });
    Set<Integer> admitted = ConcurrencyGate.admitted(assignment, unfinished, holdingJob, limits);
    for (ExpertStatus e : experts) {
      ComputeIsland island = observed.islands().get(e.getIsland());
      String name =
          ChildNames.expertJob(run.getMetadata().getName(), e.getExpert(), e.getAttempt());
      if (island == null) {
        e.setMessage("waiting for ComputeIsland " + e.getIsland());
      } else if (isFinished(e.getPhase())) {
        observed.job(name).ifPresent(j -> jobs.put(name, renderExpert(render, e, island, rules)));
      } else if (admitted.contains(e.getExpert())) {
        jobs.put(name, renderExpert(render, e, island, rules));
        keepPreviousAttempt(run, observed, e, island, rules, render, jobs);
      } else {
        e.setMessage(
            "waiting for a slot on island "
                + e.getIsland()
                + " (maxConcurrentExperts="
                + limits.get(e.getIsland())
                + ")");
      }
    }
    return experts;
  }

  private static void routerState(
      RouterStatus router,
      Job job,
      PodFailureRules rules,
      Observed observed,
      String name,
      List<String> stalled) {
    Integer failed = job.getStatus() == null ? null : job.getStatus().getFailed();
    router.setRestarts(failed == null ? 0 : failed);
    router.setAttempt(1 + router.getRestarts());
    if (PodFailureRules.succeeded(job)) {
      router.setPhase(WorkerPhase.Succeeded);
    } else if (PodFailureRules.failed(job)) {
      router.setPhase(WorkerPhase.Failed);
      router.setMessage(
          "router Job " + name + " failed: " + rules.classify(job).map(f -> f.detail()).orElse(""));
      stalled.add(router.getMessage());
    } else {
      router.setPhase(
          ExpertDecider.isRunning(observed.pods().get(name))
              ? WorkerPhase.Running
              : WorkerPhase.Pending);
    }
  }

  /**
   * The failed attempt before the current one stays, so that its pod's logs and the reason of the
   * retry remain visible; older attempts are deleted.
   */
  private static void keepPreviousAttempt(
      DDMRun run,
      Observed observed,
      ExpertStatus e,
      ComputeIsland island,
      PodFailureRules rules,
      JobRenderer render,
      Map<String, Job> jobs) {
    if (e.getAttempt() < 2) {
      return;
    }
    String name =
        ChildNames.expertJob(run.getMetadata().getName(), e.getExpert(), e.getAttempt() - 1);
    observed
        .job(name)
        .ifPresent(
            old -> {
              Map<String, String> a = old.getMetadata().getAnnotations();
              int restarts = Integer.parseInt(a.getOrDefault(JobRenderer.RESTARTS_BEFORE, "0"));
              int disruptions =
                  Integer.parseInt(a.getOrDefault(JobRenderer.DISRUPTIONS_BEFORE, "0"));
              Job desired =
                  render.expert(
                      e.getExpert(), e.getAttempt() - 1, island, rules, restarts, disruptions);
              jobs.put(name, desired);
            });
  }

  private static Job renderExpert(
      JobRenderer render, ExpertStatus e, ComputeIsland island, PodFailureRules rules) {
    return render.expert(
        e.getExpert(), e.getAttempt(), island, rules, e.getRestarts(), e.getDisruptions());
  }

  private static boolean isFinished(Job job) {
    return PodFailureRules.succeeded(job) || PodFailureRules.failed(job);
  }

  private static Map<Integer, ExpertStatus> previousExperts(DDMRun run) {
    Map<Integer, ExpertStatus> previous = new HashMap<>();
    if (run.getStatus() != null && run.getStatus().getExperts() != null) {
      for (ExpertStatus e : run.getStatus().getExperts()) {
        if (e.getExpert() != null) {
          previous.put(e.getExpert(), e);
        }
      }
    }
    return previous;
  }

  private static boolean isFinished(WorkerPhase phase) {
    return phase == WorkerPhase.Succeeded || phase == WorkerPhase.Failed;
  }

  private static RunPhase phase(
      boolean suspend,
      boolean failed,
      boolean started,
      boolean partitionDone,
      boolean trained,
      boolean serve) {
    if (failed) {
      return RunPhase.Failed;
    }
    if (!started) {
      return RunPhase.Pending;
    }
    if (suspend) {
      return RunPhase.Suspended;
    }
    if (serve) {
      return RunPhase.Serving;
    }
    if (trained) {
      return RunPhase.Succeeded;
    }
    return partitionDone ? RunPhase.Training : RunPhase.Partitioning;
  }

  private static Optional<String> waiting(
      boolean partitionDone, List<ExpertStatus> experts, RouterStatus router, boolean trained) {
    if (!partitionDone) {
      return Optional.of("partitioning the data set");
    }
    if (!trained) {
      long done = experts.stream().filter(e -> e.getPhase() == WorkerPhase.Succeeded).count();
      return Optional.of(
          "training: "
              + done
              + "/"
              + experts.size()
              + " experts done, router "
              + router.getPhase());
    }
    return Optional.empty();
  }

  /** The run config every pod reads, as JSON. */
  public static String runConfigJson(DDMRun run) {
    return RunConfig.forRun(run).toJson();
  }
}
