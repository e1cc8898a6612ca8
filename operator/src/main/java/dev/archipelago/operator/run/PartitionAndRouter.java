package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.status.PartitionStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.dependent.Rendering;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.policy.PodWaiting;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;

/**
 * The run-wide tasks: the encode stage (latent runs that ask for it), the partition (after it) and
 * the router (after the partition). Their success is durable: from status, or from what they wrote
 * to storage, whatever became of their Jobs.
 */
final class PartitionAndRouter {
  static final String MONOLITH = "no router: a one-expert monolith is served alone";

  private PartitionAndRouter() {}

  /** The encode stage; done once its report is in storage. */
  static PartitionStatus encode(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      JobRenderer render,
      Optional<ComputeIsland> home,
      DesiredJobs jobs,
      List<String> stalled) {
    return stage(
        observed,
        rules,
        ChildNames.encodeJob(run.getMetadata().getName()),
        "encode",
        run.getStatus() == null ? null : run.getStatus().getEncode(),
        observed.progress().encoded(),
        home.map(render::encode),
        Optional.empty(),
        jobs,
        stalled);
  }

  /**
   * The partition; done once its cluster sizes (written last) are in storage.
   *
   * @param waitingFor why it cannot start yet (the encode stage is not done), if so
   */
  static PartitionStatus partition(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      JobRenderer render,
      Optional<ComputeIsland> home,
      Optional<String> waitingFor,
      DesiredJobs jobs,
      List<String> stalled) {
    return stage(
        observed,
        rules,
        ChildNames.partitionJob(run.getMetadata().getName()),
        "partition",
        run.getStatus() == null ? null : run.getStatus().getPartition(),
        observed.progress().clusterSizes().isPresent(),
        home.map(render::partition),
        waitingFor,
        jobs,
        stalled);
  }

  /**
   * Succeeded is durable: from status, from what the stage writes last, or from its Job. Once done
   * the Job is kept while it exists (for its logs) and never recreated.
   */
  private static PartitionStatus stage(
      Observed observed,
      PodFailureRules rules,
      String name,
      String what,
      PartitionStatus previous,
      boolean written,
      Optional<Rendering> rendering,
      Optional<String> waitingFor,
      DesiredJobs jobs,
      List<String> stalled) {
    Optional<Job> job = observed.job(name);
    boolean done =
        (previous != null && previous.getPhase() == WorkerPhase.Succeeded)
            || written
            || job.map(j -> PodFailureRules.succeeded(j, observed.pods().get(name))).orElse(false);
    if (done) {
      jobs.keepIfPresent(name);
      return new PartitionStatus(WorkerPhase.Succeeded, null);
    }
    if (waitingFor.isPresent()) {
      jobs.keepIfPresent(name);
      return new PartitionStatus(WorkerPhase.Pending, waitingFor.get());
    }
    jobs.keepOrCreate(name, rendering, "the " + what);
    if (job.map(PodFailureRules::failed).orElse(false)) {
      String detail =
          rules
              .classify(job.get(), observed.pods().get(name))
              .map(f -> f.explainedBy(observed.pods().get(name)).detail())
              .orElse("");
      String message = what + " Job " + name + " failed: " + detail;
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

  /** The router trains once the partition is done; its success, like the experts', is durable. */
  static RouterStatus router(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      JobRenderer render,
      Optional<ComputeIsland> home,
      boolean partitionDone,
      DesiredJobs jobs) {
    RouterStatus previous = run.getStatus() == null ? null : run.getStatus().getRouter();
    String name = ChildNames.routerJob(run.getMetadata().getName(), 1);
    RouterStatus router = new RouterStatus();
    router.setAttempt(1);
    router.setPhase(WorkerPhase.Pending);
    router.setIsland(
        home.map(i -> i.getMetadata().getName()).orElse(run.getSpec().getIslands().get(0)));
    if (run.getSpec().getPartitioning().getExperts() == 1) {
      // A monolith has nothing to route: no router Job, and serving runs the one expert alone.
      router.setPhase(WorkerPhase.Succeeded);
      router.setMessage(MONOLITH);
      return router;
    }
    boolean reported =
        observed.progress().router().filter(p -> p.phase() == ProgressPhase.Completed).isPresent();
    return new RunWideWorker(name, "router", home.map(render::router))
        .plan(router, previous, reported, partitionDone, null, observed, rules, jobs);
  }
}
