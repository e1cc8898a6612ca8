package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.status.DistillationStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.policy.PodFailureRules;
import java.util.Optional;

/**
 * The distillation stage of a run with spec.distillation enabled: one Job, on the router's island,
 * that distils the trained ensemble into the student. It starts only once the partition, every
 * expert and the router succeeded (the ensemble is its teacher); its success is durable as the
 * router's is.
 */
public final class Distillation {
  static final String WAITING = "waiting for the experts and the router";

  private Distillation() {}

  /** Whether the run distils; a spec without the section (written before it existed) does not. */
  public static boolean distils(DDMRun run) {
    return run.getSpec().getDistillation() != null && run.getSpec().getDistillation().distils();
  }

  /**
   * The student's state, or null for a run that does not distil.
   *
   * @param ensembleTrained the partition, every expert and the router succeeded
   */
  static DistillationStatus plan(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      JobRenderer render,
      Optional<ComputeIsland> home,
      boolean ensembleTrained,
      DesiredJobs jobs) {
    if (!distils(run)) {
      return null;
    }
    DistillationStatus previous =
        run.getStatus() == null ? null : run.getStatus().getDistillation();
    DistillationStatus student = new DistillationStatus();
    student.setAttempt(1);
    student.setPhase(WorkerPhase.Pending);
    student.setIsland(
        home.map(i -> i.getMetadata().getName()).orElse(run.getSpec().getIslands().get(0)));
    boolean reported =
        observed
            .progress()
            .distillation()
            .filter(p -> p.phase() == ProgressPhase.Completed)
            .isPresent();
    String name = ChildNames.distillationJob(run.getMetadata().getName(), 1);
    return new RunWideWorker(name, "distillation", home.map(render::distillation))
        .plan(student, previous, reported, ensembleTrained, WAITING, observed, rules, jobs);
  }
}
