package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.PartitionStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.policy.IslandAssignment;
import dev.archipelago.operator.run.policy.IslandChoice;
import dev.archipelago.operator.run.policy.IslandSlots;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.policy.PodWaiting;
import dev.archipelago.operator.run.policy.StartDeadline;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a run's plan from its spec, its last status and what the caches show: partition first;
 * once it succeeded, every expert (each on its island, within the island's concurrency limit) and
 * the router in parallel; then serving. Finished work is durable (status, backed by what the
 * trainers wrote to storage), so deleted Jobs or islands never undo it, and a missing prerequisite
 * only holds back new attempts. Pure: no API calls, so it is unit-tested without a cluster.
 */
public final class RunPlanner {
  private static final String WAITING_FOR_SLOT = "waiting for a slot on island ";
  private static final Duration SLOT_RECHECK = Duration.ofSeconds(10);
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
    List<String> notes = new ArrayList<>();
    DesiredJobs jobs = new DesiredJobs(observed);
    IslandChoice choice =
        new IslandChoice(
            spec.getIslands(),
            observed.islands(),
            !Boolean.FALSE.equals(spec.getFailurePolicy().getIslandFailover()));
    // The partition and the router run on the first island, or with failover the first that can.
    String homeName =
        choice.failover()
            ? choice.firstThatCanRun(spec.getIslands()).orElse(spec.getIslands().get(0))
            : spec.getIslands().get(0);
    Optional<ComputeIsland> home = Optional.ofNullable(observed.islands().get(homeName));

    PartitionStatus partition = planPartition(run, observed, rules, render, home, jobs, stalled);
    boolean partitionDone = partition.getPhase() == WorkerPhase.Succeeded;
    Map<Integer, String> assignment = IslandAssignment.assign(spec);
    List<ExpertStatus> experts =
        planExperts(
            run, observed, rules, events, assignment, partitionDone, render, jobs, choice, stalled);
    experts.stream()
        .filter(e -> e.getPhase() == WorkerPhase.Failed)
        .forEach(e -> stalled.add(e.getMessage()));
    RouterStatus router = planRouter(run, observed, rules, render, home, partitionDone, jobs);
    if (router.getPhase() == WorkerPhase.Failed) {
      stalled.add(router.getMessage());
    }
    explainMissingIslands(run, observed, partition, experts, router, jobs, stalled, notes);
    Optional<Duration> recheck =
        suspend
            ? Optional.empty()
            : checkStarts(run, observed, partition, experts, router, stalled);
    if (!suspend
        && experts.stream()
            .anyMatch(e -> e.getMessage() != null && e.getMessage().startsWith(WAITING_FOR_SLOT))) {
      // A slot frees when another run's expert finishes, which this run sees no event for.
      recheck =
          Optional.of(recheck.filter(d -> d.compareTo(SLOT_RECHECK) < 0).orElse(SLOT_RECHECK));
    }

    Optional<String> specChange = Optional.empty();
    if (suspend) {
      // Suspending deletes the unfinished Jobs (their pods get SIGTERM and checkpoint); resuming
      // recreates them under the same names and attempts. Job.spec.suspend is not used: the Job
      // controller would run the killed pods through podFailurePolicy and fail the attempt.
      jobs.dropUnfinished();
      experts.stream()
          .filter(e -> !isFinished(e.getPhase()))
          .forEach(e -> e.setPhase(WorkerPhase.Suspended));
      if (!isFinished(router.getPhase())) {
        router.setPhase(WorkerPhase.Suspended);
      }
      if (!isFinished(partition.getPhase())) {
        partition.setPhase(WorkerPhase.Suspended);
      }
    } else if (!jobs.staleWorkers().isEmpty()) {
      specChange =
          Optional.of(
              "spec changed; applies to the next attempt of "
                  + String.join(", ", jobs.staleWorkers()));
    }

    boolean trained =
        partitionDone
            && router.getPhase() == WorkerPhase.Succeeded
            && experts.stream().allMatch(e -> e.getPhase() == WorkerPhase.Succeeded);
    boolean serve = trained && Boolean.TRUE.equals(spec.getInference().getEnabled()) && !suspend;
    Optional<String> stall =
        stalled.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", stalled));
    boolean failed =
        partition.getPhase() == WorkerPhase.Failed
            || router.getPhase() == WorkerPhase.Failed
            || experts.stream().anyMatch(e -> e.getPhase() == WorkerPhase.Failed);
    boolean started = home.isPresent() || partitionDone;
    RunPhase phase = phase(suspend, failed, started, partitionDone, trained, serve);
    return new RunPlan(
        run,
        phase,
        image,
        partition,
        jobs.jobs(),
        serve,
        experts,
        router,
        stall,
        waiting(partitionDone, experts, router, trained, notes),
        specChange,
        recheck,
        events);
  }

  /**
   * The partition or router waiting to start past spec.failurePolicy.pendingTimeoutSeconds stalls
   * the run with its pod's reason (an expert's wait is decided in planExperts: it may move); the
   * soonest deadline of all waiting attempts is when to look again.
   */
  private static Optional<Duration> checkStarts(
      DDMRun run,
      Observed observed,
      PartitionStatus partition,
      List<ExpertStatus> experts,
      RouterStatus router,
      List<String> stalled) {
    StartDeadline deadline = startDeadline(run, observed);
    String runName = run.getMetadata().getName();
    Map<String, String> waiting = new LinkedHashMap<>();
    if (partition.getPhase() == WorkerPhase.Pending) {
      waiting.put(ChildNames.partitionJob(runName), "the partition");
    }
    for (ExpertStatus e : experts) {
      if (e.getPhase() == WorkerPhase.Pending) {
        waiting.put(expertJob(runName, e), "expert " + e.getExpert());
      }
    }
    if (router.getPhase() == WorkerPhase.Pending) {
      waiting.put(ChildNames.routerJob(runName, 1), "the router");
    }
    Optional<Duration> soonest = Optional.empty();
    for (Map.Entry<String, String> w : waiting.entrySet()) {
      Optional<Job> job = observed.job(w.getKey());
      if (job.isEmpty()) {
        continue;
      }
      Optional<String> overdue =
          deadline.overdue(w.getValue(), job.get(), observed.pods().get(w.getKey()));
      if (overdue.isPresent()) {
        if (!w.getValue().startsWith("expert ")) {
          stalled.add(overdue.get());
        }
        continue;
      }
      Optional<Duration> left = deadline.remaining(job.get());
      if (left.isPresent() && (soonest.isEmpty() || left.get().compareTo(soonest.get()) < 0)) {
        soonest = left;
      }
    }
    return soonest;
  }

  /**
   * Succeeded is durable: from status, or from the cluster sizes the partition writes last, or from
   * its Job. Once done the Job is kept while it exists (for its logs) and never recreated.
   */
  private static PartitionStatus planPartition(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      JobRenderer render,
      Optional<ComputeIsland> home,
      DesiredJobs jobs,
      List<String> stalled) {
    String name = ChildNames.partitionJob(run.getMetadata().getName());
    Optional<Job> job = observed.job(name);
    PartitionStatus previous = run.getStatus() == null ? null : run.getStatus().getPartition();
    boolean done =
        (previous != null && previous.getPhase() == WorkerPhase.Succeeded)
            || observed.progress().clusterSizes().isPresent()
            || job.map(PodFailureRules::succeeded).orElse(false);
    if (done) {
      jobs.keepIfPresent(name);
      return new PartitionStatus(WorkerPhase.Succeeded, null);
    }
    jobs.keepOrCreate(name, home.map(render::partition), "the partition");
    if (job.map(PodFailureRules::failed).orElse(false)) {
      String detail =
          rules
              .classify(job.get(), observed.pods().get(name))
              .map(f -> f.explainedBy(observed.pods().get(name)).detail())
              .orElse("");
      String message = "partition Job " + name + " failed: " + detail;
      stalled.add(message);
      return new PartitionStatus(WorkerPhase.Failed, message);
    }
    boolean running = job.isPresent() && ExpertDecider.isRunning(observed.pods().get(name));
    return new PartitionStatus(
        running ? WorkerPhase.Running : WorkerPhase.Pending,
        running
            ? null
            : PodWaiting.why(job.orElse(null), observed.pods().get(name))
                .map(w -> "waiting to start: " + w)
                .orElse(null));
  }

  private List<ExpertStatus> planExperts(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      List<RunEvent> events,
      Map<Integer, String> assignment,
      boolean partitionDone,
      JobRenderer render,
      DesiredJobs jobs,
      IslandChoice choice,
      List<String> stalled) {
    ExpertDecider decider = new ExpertDecider(run, observed, rules, events);
    Map<Integer, ExpertStatus> previous = previousExperts(run);
    String runName = run.getMetadata().getName();
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
      // Nothing starts before the partition, but nothing that runs is ever deleted for it either.
      experts.forEach(e -> jobs.keepIfPresent(expertJob(runName, e)));
      return experts;
    }
    IslandSlots slots = new IslandSlots(observed.islands(), observed.otherRunsExperts());
    StartDeadline deadline = startDeadline(run, observed);
    Map<String, Integer> load = new HashMap<>();
    Map<Integer, Set<String>> excluded = new HashMap<>();
    List<ExpertStatus> needAttempt = new ArrayList<>();
    for (ExpertStatus e : experts) {
      String name = expertJob(runName, e);
      Optional<Job> current = observed.job(name);
      if (isFinished(e.getPhase())) {
        jobs.keepIfPresent(name);
      } else if (current.isEmpty()) {
        needAttempt.add(e);
      } else {
        Optional<String> overdue =
            e.getPhase() == WorkerPhase.Pending
                ? deadline.overdue(
                    "expert " + e.getExpert(), current.get(), observed.pods().get(name))
                : Optional.empty();
        Set<String> failedHere = Set.of(e.getIsland());
        if (overdue.isPresent()
            && choice.failover()
            && choice.next(assignment.get(e.getExpert()), null, failedHere, load).isPresent()) {
          // The stuck attempt's Job is dropped (deleted) and the next goes elsewhere.
          e.setMessage(overdue.get());
          e.setAttempt(e.getAttempt() + 1);
          excluded.put(e.getExpert(), failedHere);
          needAttempt.add(e);
          continue;
        }
        overdue.ifPresent(stalled::add);
        slots.take(e.getIsland());
        load.merge(e.getIsland(), 1, Integer::sum);
        jobs.keepOrCreate(
            name,
            Optional.ofNullable(observed.islands().get(e.getIsland()))
                .map(i -> renderExpert(render, e, i, rules)),
            "expert " + e.getExpert());
        keepFailedPreviousAttempt(runName, e, observed, jobs);
      }
    }
    for (ExpertStatus e : needAttempt) {
      String home = assignment.get(e.getExpert());
      Set<String> notHere = excluded.getOrDefault(e.getExpert(), Set.of());
      Optional<String> target = choice.next(home, e.getIsland(), notHere, load);
      if (target.isEmpty()) {
        e.setMessage(
            "waiting: "
                + choice.whyNot(notHere.isEmpty() ? home : e.getIsland()).orElse("no island")
                + (choice.failover() ? " and no other island of spec.islands can run it" : ""));
        continue;
      }
      if (!slots.free(target.get())) {
        e.setMessage(
            WAITING_FOR_SLOT
                + target.get()
                + " (maxConcurrentExperts="
                + slots.limit(target.get())
                + ", counted over every run on it)");
        continue;
      }
      String from = e.getIsland();
      if (!target.get().equals(from)) {
        String why =
            notHere.isEmpty()
                ? choice.whyNot(from).orElse("spec.islands or placement changed")
                : e.getMessage();
        e.setMessage(
            "attempt "
                + e.getAttempt()
                + " moves from island "
                + from
                + " to "
                + target.get()
                + ": "
                + why);
        events.add(
            RunEvent.warning("ExpertMoved", "expert " + e.getExpert() + " " + e.getMessage()));
        e.setIsland(target.get());
      }
      slots.take(target.get());
      load.merge(target.get(), 1, Integer::sum);
      jobs.keepOrCreate(
          expertJob(runName, e),
          Optional.of(renderExpert(render, e, observed.islands().get(target.get()), rules)),
          "expert " + e.getExpert());
      keepFailedPreviousAttempt(runName, e, observed, jobs);
    }
    return experts;
  }

  /**
   * The failed attempt before the current one stays, so that its pod's logs and the reason of the
   * retry remain visible; older attempts, and an unfinished one that was moved off, are deleted.
   */
  private static void keepFailedPreviousAttempt(
      String runName, ExpertStatus e, Observed observed, DesiredJobs jobs) {
    if (e.getAttempt() < 2) {
      return;
    }
    String name = ChildNames.expertJob(runName, e.getExpert(), e.getAttempt() - 1);
    observed.job(name).filter(DesiredJobs::isFinished).ifPresent(j -> jobs.keepIfPresent(name));
  }

  private static StartDeadline startDeadline(DDMRun run, Observed observed) {
    Long timeout = run.getSpec().getFailurePolicy().getPendingTimeoutSeconds();
    return new StartDeadline(timeout == null ? 1800 : timeout, observed.now());
  }

  /** The router trains once the partition is done; its success, like the experts', is durable. */
  private static RouterStatus planRouter(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      JobRenderer render,
      Optional<ComputeIsland> home,
      boolean partitionDone,
      DesiredJobs jobs) {
    RouterStatus previous = run.getStatus() == null ? null : run.getStatus().getRouter();
    String name = ChildNames.routerJob(run.getMetadata().getName(), 1);
    Optional<Job> job = observed.job(name);
    RouterStatus router = new RouterStatus();
    router.setAttempt(1);
    router.setPhase(WorkerPhase.Pending);
    router.setIsland(
        home.map(i -> i.getMetadata().getName()).orElse(run.getSpec().getIslands().get(0)));
    boolean done =
        (previous != null && previous.getPhase() == WorkerPhase.Succeeded)
            || observed
                .progress()
                .router()
                .filter(p -> p.phase() == ProgressPhase.Completed)
                .isPresent();
    if (done) {
      jobs.keepIfPresent(name);
      router.setPhase(WorkerPhase.Succeeded);
      if (previous != null) {
        router.setAttempt(previous.getAttempt());
        router.setRestarts(previous.getRestarts());
        router.setIsland(previous.getIsland());
      }
      return router;
    }
    if (!partitionDone) {
      jobs.keepIfPresent(name);
      return router;
    }
    jobs.keepOrCreate(name, home.map(render::router), "the router");
    observed.nodeOf(name).ifPresent(router::setNode);
    job.ifPresent(j -> routerState(router, j, rules, observed, name));
    return router;
  }

  /**
   * A missing island stalls the run only where it blocks work: a worker on it that needs a new
   * attempt. Attempts already running on it are never deleted for it.
   */
  private static void explainMissingIslands(
      DDMRun run,
      Observed observed,
      PartitionStatus partition,
      List<ExpertStatus> experts,
      RouterStatus router,
      DesiredJobs jobs,
      List<String> stalled,
      List<String> notes) {
    String runName = run.getMetadata().getName();
    String home = run.getSpec().getIslands().get(0);
    for (String island : run.getSpec().getIslands()) {
      if (observed.islands().containsKey(island)) {
        continue;
      }
      List<String> blocked = new ArrayList<>();
      boolean holdsWork = false;
      if (island.equals(home)) {
        boolean partitionHeld = jobs.jobs().containsKey(ChildNames.partitionJob(runName));
        boolean routerHeld = jobs.jobs().containsKey(ChildNames.routerJob(runName, 1));
        holdsWork |= partitionHeld || routerHeld;
        if (!isFinished(partition.getPhase()) && !partitionHeld) {
          blocked.add("the partition");
        }
        if (!isFinished(router.getPhase()) && !routerHeld) {
          blocked.add("the router");
        }
      }
      for (ExpertStatus e : experts) {
        if (!island.equals(e.getIsland()) || isFinished(e.getPhase())) {
          continue;
        }
        if (jobs.jobs().containsKey(expertJob(runName, e))) {
          holdsWork = true;
        } else {
          blocked.add("expert " + e.getExpert());
        }
      }
      String missing = "ComputeIsland " + island + " (spec.islands) does not exist";
      if (!blocked.isEmpty()) {
        stalled.add(missing + ": " + String.join(", ", blocked) + " cannot start");
      } else if (holdsWork) {
        notes.add(missing + "; the attempts already on it keep running");
      }
    }
  }

  private static String expertJob(String run, ExpertStatus e) {
    return ChildNames.expertJob(run, e.getExpert(), e.getAttempt());
  }

  private static void routerState(
      RouterStatus router, Job job, PodFailureRules rules, Observed observed, String name) {
    Integer failed = job.getStatus() == null ? null : job.getStatus().getFailed();
    router.setRestarts(failed == null ? 0 : failed);
    router.setAttempt(1 + router.getRestarts());
    if (PodFailureRules.succeeded(job)) {
      router.setPhase(WorkerPhase.Succeeded);
    } else if (PodFailureRules.failed(job)) {
      router.setPhase(WorkerPhase.Failed);
      router.setMessage(
          "router Job "
              + name
              + " failed: "
              + rules
                  .classify(job, observed.pods().get(name))
                  .map(f -> f.explainedBy(observed.pods().get(name)).detail())
                  .orElse(""));
    } else if (ExpertDecider.isRunning(observed.pods().get(name))) {
      router.setPhase(WorkerPhase.Running);
    } else {
      router.setPhase(WorkerPhase.Pending);
      PodWaiting.why(job, observed.pods().get(name))
          .ifPresent(w -> router.setMessage("waiting to start: " + w));
    }
  }

  private static Job renderExpert(
      JobRenderer render, ExpertStatus e, ComputeIsland island, PodFailureRules rules) {
    return render.expert(
        e.getExpert(), e.getAttempt(), island, rules, e.getRestarts(), e.getDisruptions());
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
      boolean partitionDone,
      List<ExpertStatus> experts,
      RouterStatus router,
      boolean trained,
      List<String> notes) {
    List<String> parts = new ArrayList<>();
    if (!partitionDone) {
      parts.add("partitioning the data set");
    } else if (!trained) {
      long done = experts.stream().filter(e -> e.getPhase() == WorkerPhase.Succeeded).count();
      parts.add(
          "training: "
              + done
              + "/"
              + experts.size()
              + " experts done, router "
              + router.getPhase());
    }
    parts.addAll(notes);
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  /** The run config every pod reads, as JSON. */
  public static String runConfigJson(DDMRun run) {
    return RunConfig.forRun(run).toJson();
  }
}
