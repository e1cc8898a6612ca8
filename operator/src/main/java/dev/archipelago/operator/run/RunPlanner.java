package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.status.DistillationStatus;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.PartitionStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.dependent.RenderedSpecs;
import dev.archipelago.operator.run.policy.ClusterPlacement;
import dev.archipelago.operator.run.policy.IslandAssignment;
import dev.archipelago.operator.run.policy.IslandChoice;
import dev.archipelago.operator.run.policy.PodFailureRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a run's plan from its spec, its last status and what the caches show: the encode stage
 * (latent runs that ask for it), then the partition; once it succeeded, every expert (each on its
 * island, within the island's concurrency limit) and the router in parallel; for a run that
 * distils, then the student, taught by the trained ensemble; then serving. Finished work is durable
 * (status, backed by what the trainers wrote to storage), so deleted Jobs or islands never undo it,
 * and a missing prerequisite only holds back new attempts. Pure: no API calls, so it is unit-tested
 * without a cluster.
 */
public final class RunPlanner {
  private static final Duration SLOT_RECHECK = Duration.ofSeconds(10);
  private final OperatorConfig config;
  private final RenderedSpecs renderedSpecs = new RenderedSpecs();

  public RunPlanner(OperatorConfig config) {
    this.config = config;
  }

  public RunPlan plan(DDMRun run, Observed observed) {
    DDMRunSpec spec = run.getSpec();
    boolean suspend = Boolean.TRUE.equals(spec.getSuspend());
    String image = spec.getImage() != null ? spec.getImage() : config.defaultTrainerImage();
    Map<Integer, String> assignment = IslandAssignment.assign(spec);
    JobRenderer render =
        new JobRenderer(
            run,
            image,
            renderedSpecs,
            ClusterPlacement.locations(run, assignment, observed.islands()));
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

    // A latent run that asks for it encodes its images first; the partition reads the latents.
    PartitionStatus encode =
        spec.getDataset().getEncode() == null
            ? null
            : PartitionAndRouter.encode(run, observed, rules, render, home, jobs, stalled);
    boolean encodeDone = encode == null || encode.getPhase() == WorkerPhase.Succeeded;
    PartitionStatus partition =
        PartitionAndRouter.partition(
            run,
            observed,
            rules,
            render,
            home,
            encodeDone ? Optional.empty() : Optional.of("waiting for the encode stage"),
            jobs,
            stalled);
    boolean partitionDone = partition.getPhase() == WorkerPhase.Succeeded;
    List<ExpertStatus> experts =
        ExpertPlanner.plan(
            run, observed, rules, events, assignment, partitionDone, render, jobs, choice, stalled);
    experts.stream()
        .filter(e -> e.getPhase() == WorkerPhase.Failed)
        .forEach(e -> stalled.add(e.getMessage()));
    RouterStatus router =
        PartitionAndRouter.router(run, observed, rules, render, home, partitionDone, jobs);
    if (router.getPhase() == WorkerPhase.Failed) {
      stalled.add(router.getMessage());
    }
    boolean ensembleTrained =
        partitionDone
            && router.getPhase() == WorkerPhase.Succeeded
            && experts.stream().allMatch(e -> e.getPhase() == WorkerPhase.Succeeded);
    // Null for a run that does not distil: its plan and status are as they were before.
    DistillationStatus distillation =
        Distillation.plan(run, observed, rules, render, home, ensembleTrained, jobs);
    if (distillation != null && distillation.getPhase() == WorkerPhase.Failed) {
      stalled.add(distillation.getMessage());
    }
    BlockedWork.explainMissingIslands(
        run, observed, encode, partition, experts, router, distillation, jobs, stalled, notes);
    Optional<Duration> recheck =
        suspend
            ? Optional.empty()
            : BlockedWork.checkStarts(
                run, observed, encode, partition, experts, router, distillation, stalled);
    if (!suspend
        && experts.stream()
            .anyMatch(
                e ->
                    e.getMessage() != null
                        && e.getMessage().startsWith(ExpertPlanner.WAITING_FOR_SLOT))) {
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
          .filter(e -> !ExpertPlanner.isFinished(e.getPhase()))
          .forEach(e -> e.setPhase(WorkerPhase.Suspended));
      if (!ExpertPlanner.isFinished(router.getPhase())) {
        router.setPhase(WorkerPhase.Suspended);
      }
      if (distillation != null && !ExpertPlanner.isFinished(distillation.getPhase())) {
        distillation.setPhase(WorkerPhase.Suspended);
      }
      if (!ExpertPlanner.isFinished(partition.getPhase())) {
        partition.setPhase(WorkerPhase.Suspended);
      }
      if (encode != null && !ExpertPlanner.isFinished(encode.getPhase())) {
        encode.setPhase(WorkerPhase.Suspended);
      }
    } else if (!jobs.staleWorkers().isEmpty()) {
      specChange =
          Optional.of(
              "spec changed; applies to the next attempt of "
                  + String.join(", ", jobs.staleWorkers()));
    }

    // A run that distils is trained once its student is: serving (either model) waits for it.
    boolean trained =
        ensembleTrained
            && (distillation == null || distillation.getPhase() == WorkerPhase.Succeeded);
    boolean serve = trained && Boolean.TRUE.equals(spec.getInference().getEnabled()) && !suspend;
    Optional<String> stall =
        stalled.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", stalled));
    boolean failed =
        partition.getPhase() == WorkerPhase.Failed
            || (encode != null && encode.getPhase() == WorkerPhase.Failed)
            || router.getPhase() == WorkerPhase.Failed
            || (distillation != null && distillation.getPhase() == WorkerPhase.Failed)
            || experts.stream().anyMatch(e -> e.getPhase() == WorkerPhase.Failed);
    boolean started = home.isPresent() || partitionDone;
    RunPhase phase =
        phase(suspend, failed, started, encodeDone, partitionDone, ensembleTrained, trained, serve);
    return new RunPlan(
        run,
        phase,
        image,
        Optional.ofNullable(encode),
        partition,
        jobs.jobs(),
        serve,
        experts,
        router,
        Optional.ofNullable(distillation),
        stall,
        waiting(encodeDone, partitionDone, experts, router, ensembleTrained, trained, notes),
        specChange,
        recheck,
        events);
  }

  private static RunPhase phase(
      boolean suspend,
      boolean failed,
      boolean started,
      boolean encodeDone,
      boolean partitionDone,
      boolean ensembleTrained,
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
    if (ensembleTrained) {
      return RunPhase.Distilling;
    }
    if (!encodeDone) {
      return RunPhase.Encoding;
    }
    return partitionDone ? RunPhase.Training : RunPhase.Partitioning;
  }

  private static Optional<String> waiting(
      boolean encodeDone,
      boolean partitionDone,
      List<ExpertStatus> experts,
      RouterStatus router,
      boolean ensembleTrained,
      boolean trained,
      List<String> notes) {
    List<String> parts = new ArrayList<>();
    if (!encodeDone) {
      parts.add("encoding the data set into latents");
    } else if (!partitionDone) {
      parts.add("partitioning the data set");
    } else if (!ensembleTrained) {
      long done = experts.stream().filter(e -> e.getPhase() == WorkerPhase.Succeeded).count();
      parts.add(
          "training: "
              + done
              + "/"
              + experts.size()
              + " experts done, router "
              + router.getPhase());
    } else if (!trained) {
      parts.add("distilling the ensemble into the student");
    }
    parts.addAll(notes);
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  /** The run config every pod reads, as JSON. */
  public static String runConfigJson(DDMRun run) {
    return RunConfig.forRun(run).toJson();
  }
}
