package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.DistillationStatus;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.PartitionStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.RunPhase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one decision of a reconcile: which children should exist and what state each worker is in.
 * {@link RunPlanner} makes it; the dependents render it; the status builder reports it.
 *
 * @param run the run it was made for
 * @param phase the run's phase
 * @param trainerImage image of every pod of the run
 * @param encode the encode stage's state, for runs with spec.dataset.encode
 * @param partition the partition's state; Succeeded once it is done, whatever became of its Job
 * @param jobs desired trainer Jobs by name (partition, experts, router, distillation)
 * @param serve whether the serving Deployments and Service should exist
 * @param experts each expert's worker state, without progress figures
 * @param router the router's worker state, without progress figures
 * @param distillation the student's worker state, without progress figures, for runs that distil
 * @param stalled why the run can no longer finish, naming the worker, if it cannot
 * @param waiting what the run is waiting for, if anything (shown while Reconciling)
 * @param specChange which running attempts were created from an earlier spec, if any
 * @param recheckIn when to reconcile again although nothing changes (the next start deadline)
 * @param events events to publish for decisions taken in this plan
 */
public record RunPlan(
    DDMRun run,
    RunPhase phase,
    String trainerImage,
    Optional<PartitionStatus> encode,
    PartitionStatus partition,
    Map<String, Job> jobs,
    boolean serve,
    List<ExpertStatus> experts,
    RouterStatus router,
    Optional<DistillationStatus> distillation,
    Optional<String> stalled,
    Optional<String> waiting,
    Optional<String> specChange,
    Optional<Duration> recheckIn,
    List<RunEvent> events) {

  /** The same plan with other events to publish. */
  public RunPlan withEvents(List<RunEvent> others) {
    return new RunPlan(
        run,
        phase,
        trainerImage,
        encode,
        partition,
        jobs,
        serve,
        experts,
        router,
        distillation,
        stalled,
        waiting,
        specChange,
        recheckIn,
        others);
  }

  public long expertsSucceeded() {
    return experts.stream()
        .filter(e -> e.getPhase() == dev.archipelago.api.status.WorkerPhase.Succeeded)
        .count();
  }
}
