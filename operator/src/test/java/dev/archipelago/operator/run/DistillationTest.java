package dev.archipelago.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.status.DDMRunStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.run.dependent.ServingObjects;
import dev.archipelago.operator.run.progress.RunProgress;
import dev.archipelago.operator.run.status.RunStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The distillation stage: after the whole ensemble, durable, and what serving waits for. */
class DistillationTest {
  private static final String DISTILS = "  distillation: {enabled: true, steps: 500}\n";

  private final RunPlanner planner = new RunPlanner(OperatorConfig.defaults());
  private final Map<String, ComputeIsland> islands =
      Map.of("a", TestRuns.island("a", null), "b", TestRuns.island("b", null));
  private final Map<String, Job> jobs = new HashMap<>();
  private Optional<Progress> student = Optional.empty();

  private Observed observed() {
    RunProgress progress =
        new RunProgress(
            false, Optional.empty(), Map.of(), Optional.empty(), student, Optional.empty());
    return new Observed(jobs, Map.of(), islands, Map.of(), progress, Instant.EPOCH, Map.of());
  }

  /** Plans, creates what the plan creates, and records the status the operator would write. */
  private RunPlan step(DDMRun run) {
    RunPlan plan = planner.plan(run, observed());
    plan.jobs().forEach(jobs::putIfAbsent);
    jobs.keySet().retainAll(plan.jobs().keySet());
    DDMRunStatus status = RunStatusBuilder.build(plan, observed(), "2026-12-01T00:00:00Z");
    run.setStatus(status);
    return plan;
  }

  private void end(String job, String type) {
    jobs.put(job, TestRuns.ended(jobs.get(job), type, type, ""));
  }

  /** A run whose partition, two experts and router have all succeeded. */
  private DDMRun trainedEnsemble(String extraSpec) {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), extraSpec);
    step(run);
    end("r-partition", "Complete");
    step(run);
    end("r-expert-0-a1", "Complete");
    end("r-expert-1-a1", "Complete");
    end("r-router-a1", "Complete");
    return run;
  }

  @Test
  void noDistillationJobExistsUntilEveryExpertAndTheRouterSucceeded() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), DISTILS);
    step(run);
    end("r-partition", "Complete");
    step(run);
    end("r-expert-0-a1", "Complete");
    end("r-router-a1", "Complete");

    RunPlan plan = step(run);

    assertThat(plan.jobs()).doesNotContainKey("r-distill-a1").containsKey("r-expert-1-a1");
    assertThat(plan.phase()).isEqualTo(RunPhase.Training);
    assertThat(run.getStatus().getDistillation().getPhase()).isEqualTo(WorkerPhase.Pending);
    assertThat(run.getStatus().getDistillation().getMessage()).isEqualTo(Distillation.WAITING);
  }

  @Test
  void theDistillationJobStartsLikeTheRoutersOnceTheEnsembleIsTrained() {
    DDMRun run = trainedEnsemble(DISTILS);

    RunPlan plan = step(run);

    assertThat(plan.jobs()).containsKey("r-distill-a1");
    assertThat(plan.phase()).isEqualTo(RunPhase.Distilling);
    assertThat(plan.serve()).isFalse();
    assertThat(plan.waiting()).hasValue("distilling the ensemble into the student");
    Job distill = plan.jobs().get("r-distill-a1");
    Job router = jobs.get("r-router-a1");
    assertThat(distill.getMetadata().getLabels()).containsEntry(Labels.ROLE, "distill");
    assertThat(env(distill))
        .containsEntry(PodEnv.ROLE, "distill")
        .containsEntry(PodEnv.ATTEMPT, "1");
    var distillPod = distill.getSpec().getTemplate().getSpec();
    var routerPod = router.getSpec().getTemplate().getSpec();
    assertThat(distillPod.getNodeSelector()).isEqualTo(routerPod.getNodeSelector());
    assertThat(distillPod.getContainers().get(0).getImage())
        .isEqualTo(routerPod.getContainers().get(0).getImage());
    assertThat(distillPod.getContainers().get(0).getResources())
        .isEqualTo(routerPod.getContainers().get(0).getResources());
    assertThat(distillPod.getVolumes()).isEqualTo(routerPod.getVolumes());
    assertThat(distill.getSpec().getBackoffLimit()).isEqualTo(router.getSpec().getBackoffLimit());
    assertThat(run.getStatus().getDistillation().getIsland()).isEqualTo("a");
  }

  @Test
  void aCompletedStudentReportIsDurableSuccessWhateverBecameOfItsJob() {
    DDMRun run = trainedEnsemble(DISTILS);
    step(run);
    student = Optional.of(report(ProgressPhase.Completed, 500));
    jobs.clear();

    RunPlan plan = step(run);

    assertThat(plan.jobs()).isEmpty();
    assertThat(plan.phase()).isEqualTo(RunPhase.Serving);
    assertThat(plan.serve()).isTrue();
    assertThat(run.getStatus().getDistillation().getPhase()).isEqualTo(WorkerPhase.Succeeded);
    assertThat(run.getStatus().getDistillation().getStep()).isEqualTo(500L);
    assertThat(run.getStatus().getDistillation().getTotalSteps()).isEqualTo(500L);

    student = Optional.empty();
    assertThat(step(run).phase()).as("status alone keeps it").isEqualTo(RunPhase.Serving);
  }

  @Test
  void theStudentsProgressReportFillsItsStatus() {
    DDMRun run = trainedEnsemble(DISTILS);
    step(run);
    student = Optional.of(report(ProgressPhase.Training, 120));

    step(run);

    var status = run.getStatus().getDistillation();
    assertThat(status.getStep()).isEqualTo(120L);
    assertThat(status.getTotalSteps()).isEqualTo(500L);
    assertThat(status.getLatestCheckpoint()).isEqualTo(100L);
    assertThat(status.getLoss()).isEqualTo(0.25);
  }

  @Test
  void aFailedDistillationFailsTheRunNamingIt() {
    DDMRun run = trainedEnsemble(DISTILS);
    step(run);
    end("r-distill-a1", "Failed");

    RunPlan plan = step(run);

    assertThat(plan.phase()).isEqualTo(RunPhase.Failed);
    assertThat(plan.serve()).isFalse();
    assertThat(plan.stalled())
        .hasValueSatisfying(m -> assertThat(m).contains("distillation Job r-distill-a1 failed"));
    assertThat(run.getStatus().getDistillation().getPhase()).isEqualTo(WorkerPhase.Failed);
  }

  @Test
  void suspendingDeletesTheUnfinishedDistillationJobAndSuspendsIt() {
    DDMRun run = trainedEnsemble(DISTILS);
    step(run);
    DDMRun suspended = TestRuns.run(2, List.of("a", "b"), DISTILS + "  suspend: true\n");
    suspended.setStatus(run.getStatus());

    RunPlan plan = step(suspended);

    assertThat(plan.jobs()).doesNotContainKey("r-distill-a1");
    assertThat(plan.phase()).isEqualTo(RunPhase.Suspended);
    assertThat(plan.distillation()).map(d -> d.getPhase()).hasValue(WorkerPhase.Suspended);
  }

  @Test
  void aRunThatDoesNotDistilHasNoDistillationAndServesOnceTheRouterIsDone() {
    DDMRun run = trainedEnsemble("");

    RunPlan plan = step(run);

    assertThat(plan.distillation()).isEmpty();
    assertThat(run.getStatus().getDistillation()).isNull();
    assertThat(plan.jobs()).doesNotContainKey("r-distill-a1");
    assertThat(plan.phase()).isEqualTo(RunPhase.Serving);
    assertThat(plan.serve()).isTrue();
  }

  @Test
  void servingTheStudentWaitsForItAndIsOneColocatedDeployment() {
    DDMRun run = trainedEnsemble(DISTILS + "  inference: {model: student}\n");
    assertThat(step(run).serve()).isFalse();
    end("r-distill-a1", "Complete");

    RunPlan plan = step(run);

    assertThat(plan.serve()).isTrue();
    assertThat(plan.phase()).isEqualTo(RunPhase.Serving);
    assertThat(ServingObjects.deployments(plan, islands.get("a"))).containsOnlyKeys("r-serve");
  }

  private static Map<String, String> env(Job job) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  private static Progress report(ProgressPhase phase, long step) {
    return new Progress(
        phase, 1, step, 500, 0.25, 64.0, 10L, 100L, 0, Instant.EPOCH, null, null, null);
  }
}
