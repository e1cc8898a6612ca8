package dev.archipelago.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.status.DDMRunStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.run.progress.RunProgress;
import dev.archipelago.operator.run.status.RunStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finished work outlives its Jobs and islands; a spec edit never touches a running attempt. */
class DurableRunStateTest {
  private final RunPlanner planner = new RunPlanner(OperatorConfig.defaults());
  private final Map<String, ComputeIsland> islands =
      new HashMap<>(Map.of("a", TestRuns.island("a", null), "b", TestRuns.island("b", null)));
  private final Map<String, Job> jobs = new HashMap<>();
  private RunProgress progress = RunProgress.NONE;

  private Observed observed() {
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

  private void complete(String job) {
    jobs.put(job, TestRuns.ended(jobs.get(job), "Complete", "Completed", ""));
  }

  private DDMRun trainedRun() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), "  training: {steps: 1000}\n");
    step(run);
    complete("r-partition");
    step(run);
    complete("r-expert-0-a1");
    complete("r-expert-1-a1");
    complete("r-router-a1");
    assertThat(step(run).phase()).isEqualTo(RunPhase.Serving);
    return run;
  }

  @Test
  void deletingEveryCompletedJobOfAServingRunRecreatesNothingAndKeepsServing() {
    DDMRun run = trainedRun();
    jobs.clear();

    RunPlan plan = step(run);

    assertThat(plan.jobs()).isEmpty();
    assertThat(plan.serve()).isTrue();
    assertThat(plan.phase()).isEqualTo(RunPhase.Serving);
    assertThat(plan.experts())
        .allSatisfy(
            e -> {
              assertThat(e.getPhase()).isEqualTo(WorkerPhase.Succeeded);
              assertThat(e.getCompletedSteps()).isEqualTo(1000L);
            });
  }

  @Test
  void losingThePartitionJobMidTrainingKeepsEveryRunningExpertAndIsNotRecreated() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), "");
    step(run);
    complete("r-partition");
    step(run);
    jobs.remove("r-partition");

    RunPlan plan = step(run);

    assertThat(plan.jobs()).containsOnlyKeys("r-expert-0-a1", "r-expert-1-a1", "r-router-a1");
    assertThat(plan.partition().getPhase()).isEqualTo(WorkerPhase.Succeeded);
    assertThat(plan.phase()).isEqualTo(RunPhase.Training);
  }

  @Test
  void aDeletedIslandKeepsTheAttemptsOnItRunningWithoutStallingTheRun() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), "");
    step(run);
    complete("r-partition");
    step(run);
    islands.remove("b");

    RunPlan plan = step(run);

    assertThat(plan.jobs()).containsKey("r-expert-1-a1");
    assertThat(plan.stalled()).isEmpty();
    assertThat(plan.waiting())
        .hasValueSatisfying(
            w -> assertThat(w).contains("ComputeIsland b (spec.islands) does not exist"));
  }

  @Test
  void aSpecEditLeavesRunningJobsAsTheyAreAndNamesTheAttemptsItReachesNext() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), "");
    step(run);
    complete("r-partition");
    step(run);
    Job before = jobs.get("r-expert-0-a1");
    DDMRun edited =
        TestRuns.run(2, List.of("a", "b"), "  resources: {gpus: 1, cpu: '2', memory: 24Gi}\n");
    edited.setStatus(run.getStatus());

    RunPlan plan = step(edited);

    assertThat(plan.jobs().get("r-expert-0-a1")).isSameAs(before);
    assertThat(plan.specChange())
        .hasValue("spec changed; applies to the next attempt of expert 0, expert 1, the router");
  }

  @Test
  void raisingTheStepsOfAFinishedExpertStartsAContinuationAttempt() {
    DDMRun run = trainedRun();
    DDMRun raised = TestRuns.run(2, List.of("a", "b"), "  training: {steps: 3000}\n");
    raised.setStatus(run.getStatus());

    RunPlan plan = step(raised);

    assertThat(plan.experts().get(0).getAttempt()).isEqualTo(2);
    assertThat(plan.experts().get(0).getMessage())
        .isEqualTo(
            "training.steps raised to 3000: attempt 2 continues from the checkpoint at step 1000");
    assertThat(plan.jobs()).containsKeys("r-expert-0-a2", "r-expert-1-a2");
    assertThat(plan.jobs().get("r-expert-0-a2").getMetadata().getAnnotations())
        .containsEntry("archipelago.dev/target-steps", "3000");
    assertThat(plan.serve()).isFalse();
    assertThat(plan.events()).extracting(RunEvent::reason).contains("ExpertContinued");
  }

  @Test
  void aLostStatusWithTheJobsGoneIsRebuiltFromWhatTheTrainersWroteToStorage() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), "  training: {steps: 1000}\n");
    progress =
        new RunProgress(
            false,
            Optional.of(new ClusterSizes(List.of(10L, 12L))),
            Map.of(0, completed(2, 1000), 1, completed(1, 1000)),
            Optional.of(completed(1, 200)),
            Optional.empty(),
            Optional.empty());

    RunPlan plan = step(run);

    assertThat(plan.jobs()).isEmpty();
    assertThat(plan.phase()).isEqualTo(RunPhase.Serving);
    assertThat(plan.experts().get(0).getAttempt()).isEqualTo(2);
  }

  private static Progress completed(int attempt, long steps) {
    return new Progress(
        ProgressPhase.Completed,
        attempt,
        steps,
        steps,
        0.1,
        1.0,
        0L,
        steps,
        0,
        Instant.EPOCH,
        null,
        null,
        null);
  }
}
