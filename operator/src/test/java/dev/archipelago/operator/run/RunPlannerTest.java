package dev.archipelago.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.run.progress.RunProgress;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPlannerTest {
  private final RunPlanner planner = new RunPlanner(OperatorConfig.defaults());
  private final Map<String, ComputeIsland> islands =
      Map.of("a", TestRuns.island("a", null), "b", TestRuns.island("b", 1));

  private Observed observed(Map<String, Job> jobs) {
    return new Observed(
        jobs, Map.of(), islands, Map.of(), RunProgress.NONE, java.time.Instant.EPOCH, Map.of());
  }

  @Test
  void onlyThePartitionRunsUntilItSucceeds() {
    RunPlan plan = planner.plan(TestRuns.run(4, List.of("a", "b"), ""), observed(Map.of()));

    assertThat(plan.jobs()).containsOnlyKeys("r-partition");
    assertThat(plan.phase()).isEqualTo(RunPhase.Partitioning);
    assertThat(plan.experts())
        .allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("waiting for the partition"));
  }

  @Test
  void aLatentRunEncodesItsImagesBeforeThePartitionStarts() {
    DDMRun run = latentRunWithEncode();
    Map<String, Job> jobs = new HashMap<>();

    RunPlan encoding = planner.plan(run, observed(jobs));

    assertThat(encoding.jobs()).containsOnlyKeys("r-encode");
    assertThat(encoding.phase()).isEqualTo(RunPhase.Encoding);
    assertThat(encoding.encode()).map(e -> e.getPhase()).hasValue(WorkerPhase.Pending);
    assertThat(encoding.partition().getMessage()).isEqualTo("waiting for the encode stage");
    assertThat(encoding.waiting()).hasValue("encoding the data set into latents");
    assertThat(
            encoding
                .jobs()
                .get("r-encode")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("ARCHIPELAGO_ROLE");
              assertThat(e.getValue()).isEqualTo("encode");
            });

    jobs.put(
        "r-encode", TestRuns.ended(encoding.jobs().get("r-encode"), "Complete", "Completed", ""));
    RunPlan partitioning = planner.plan(run, observed(jobs));

    assertThat(partitioning.jobs()).containsOnlyKeys("r-encode", "r-partition");
    assertThat(partitioning.encode()).map(e -> e.getPhase()).hasValue(WorkerPhase.Succeeded);
    assertThat(partitioning.phase()).isEqualTo(RunPhase.Partitioning);
  }

  @Test
  void theEncodeReportInStorageMarksTheEncodeDoneWithoutItsJob() {
    RunProgress encoded =
        new RunProgress(
            true,
            java.util.Optional.empty(),
            Map.of(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty());
    Observed observed =
        new Observed(
            Map.of(), Map.of(), islands, Map.of(), encoded, java.time.Instant.EPOCH, Map.of());

    RunPlan plan = planner.plan(latentRunWithEncode(), observed);

    assertThat(plan.jobs()).containsOnlyKeys("r-partition");
    assertThat(plan.encode()).map(e -> e.getPhase()).hasValue(WorkerPhase.Succeeded);
  }

  @Test
  void aRunWithoutAnEncodeStageHasNoEncodeStatus() {
    RunPlan plan = planner.plan(TestRuns.run(2, List.of("a"), ""), observed(Map.of()));

    assertThat(plan.encode()).isEmpty();
  }

  private static DDMRun latentRunWithEncode() {
    DDMRun run = TestRuns.run(2, List.of("a", "b"), "");
    run.getSpec().getDataset().setFormat(dev.archipelago.api.spec.DatasetFormat.LATENTS);
    dev.archipelago.api.spec.LatentSpec latents = new dev.archipelago.api.spec.LatentSpec();
    latents.setChannels(4);
    latents.setSize(8);
    run.getSpec().getDataset().setLatents(latents);
    dev.archipelago.api.spec.EncodeSpec encode = new dev.archipelago.api.spec.EncodeSpec();
    encode.setEncoderUri("s3://models/vae-encoder.pt");
    run.getSpec().getDataset().setEncode(encode);
    return run;
  }

  @Test
  void thePartitionIsToldToWriteTheClustersOfAnIslandWithItsOwnBucketIntoIt() {
    ComputeIsland near = TestRuns.island("b", null);
    dev.archipelago.api.spec.IslandStorage storage = new dev.archipelago.api.spec.IslandStorage();
    storage.setBucket("eu-shards");
    storage.setRegion("europe-west4");
    near.getSpec().setStorage(storage);
    Observed observed =
        new Observed(
            Map.of(),
            Map.of(),
            Map.of("a", islands.get("a"), "b", near),
            Map.of(),
            RunProgress.NONE,
            java.time.Instant.EPOCH,
            Map.of());

    Job partition =
        planner.plan(TestRuns.run(4, List.of("a", "b"), ""), observed).jobs().get("r-partition");

    String json =
        partition.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("ARCHIPELAGO_CLUSTER_LOCATIONS"))
            .findFirst()
            .orElseThrow()
            .getValue();
    var locations =
        dev.archipelago.api.contract.ContractJson.read(
            json, dev.archipelago.api.contract.ClusterLocations.class);
    // Experts are spread a, b, a, b: clusters 1 and 3 go to island b's bucket.
    assertThat(locations.clusters())
        .extracting(l -> l.expert() + " " + l.bucket() + " " + l.region() + " " + l.prefix())
        .containsExactly(
            "1 eu-shards europe-west4 archipelago/ns/r/0000-1111/partition/clusters/expert-1/",
            "3 eu-shards europe-west4 archipelago/ns/r/0000-1111/partition/clusters/expert-3/");
    assertThat(
            planner
                .plan(TestRuns.run(4, List.of("a", "b"), ""), observed(Map.of()))
                .jobs()
                .get("r-partition")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .as("no island with a bucket: nothing to tell")
        .noneMatch(e -> e.getName().equals("ARCHIPELAGO_CLUSTER_LOCATIONS"));
  }

  @Test
  void aOneExpertMonolithTrainsItsExpertWithoutARouter() {
    DDMRun run = TestRuns.run(1, List.of("a"), "");
    Map<String, Job> jobs = new HashMap<>();
    Job partition = planner.plan(run, observed(jobs)).jobs().get("r-partition");
    jobs.put("r-partition", TestRuns.ended(partition, "Complete", "Completed", ""));

    RunPlan training = planner.plan(run, observed(jobs));

    assertThat(training.jobs()).containsOnlyKeys("r-partition", "r-expert-0-a1");
    assertThat(training.router().getPhase()).isEqualTo(WorkerPhase.Succeeded);
    assertThat(training.router().getMessage()).isEqualTo(PartitionAndRouter.MONOLITH);

    jobs.put(
        "r-expert-0-a1",
        TestRuns.ended(training.jobs().get("r-expert-0-a1"), "Complete", "Completed", ""));
    RunPlan done = planner.plan(run, observed(jobs));
    assertThat(done.phase()).isEqualTo(RunPhase.Serving);
    assertThat(done.serve()).isTrue();
  }

  @Test
  void afterThePartitionExpertsAndRouterStartWithinEachIslandsLimit() {
    DDMRun run = TestRuns.run(4, List.of("a", "b"), "");
    Map<String, Job> jobs = new HashMap<>();
    Job partition = planner.plan(run, observed(jobs)).jobs().get("r-partition");
    jobs.put("r-partition", TestRuns.ended(partition, "Complete", "Completed", ""));

    RunPlan plan = planner.plan(run, observed(jobs));

    // Island b allows one expert at a time: experts 1 and 3 live there, so 3 waits.
    assertThat(plan.jobs())
        .containsOnlyKeys(
            "r-partition", "r-expert-0-a1", "r-expert-1-a1", "r-expert-2-a1", "r-router-a1");
    assertThat(plan.experts().get(3).getMessage()).contains("waiting for a slot on island b");
    assertThat(plan.phase()).isEqualTo(RunPhase.Training);
    Job expert = plan.jobs().get("r-expert-1-a1");
    assertThat(expert.getSpec().getBackoffLimit()).isZero();
    assertThat(expert.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("pool", "b");
  }

  @Test
  void suspendingRemovesUnfinishedJobsKeepsFinishedOnesAndSuspendsTheRun() {
    DDMRun running = TestRuns.run(2, List.of("a"), "");
    Job partition = planner.plan(running, observed(Map.of())).jobs().get("r-partition");
    Map<String, Job> jobs =
        new HashMap<>(
            Map.of("r-partition", TestRuns.ended(partition, "Complete", "Completed", "")));
    planner.plan(running, observed(jobs)).jobs().forEach(jobs::putIfAbsent);
    DDMRun run = TestRuns.run(2, List.of("a"), "  suspend: true\n");

    RunPlan plan = planner.plan(run, observed(jobs));

    assertThat(plan.jobs()).containsOnlyKeys("r-partition");
    assertThat(plan.phase()).isEqualTo(RunPhase.Suspended);
    assertThat(plan.experts())
        .allSatisfy(e -> assertThat(e.getPhase()).isEqualTo(WorkerPhase.Suspended));
  }

  @Test
  void aMissingIslandStallsTheRunNamingIt() {
    RunPlan plan = planner.plan(TestRuns.run(2, List.of("a", "nowhere"), ""), observed(Map.of()));

    assertThat(plan.stalled())
        .hasValueSatisfying(m -> assertThat(m).contains("ComputeIsland nowhere"));
  }

  @Test
  void aFailedAttemptBecomesTheNextAttemptOnceAndOnlyForThatExpert() {
    DDMRun run = TestRuns.run(2, List.of("a"), "");
    Map<String, Job> jobs = new HashMap<>();
    Job partition = planner.plan(run, observed(jobs)).jobs().get("r-partition");
    jobs.put("r-partition", TestRuns.ended(partition, "Complete", "Completed", ""));
    RunPlan first = planner.plan(run, observed(jobs));
    first.jobs().forEach(jobs::putIfAbsent);
    jobs.put(
        "r-expert-1-a1",
        TestRuns.ended(
            first.jobs().get("r-expert-1-a1"),
            "Failed",
            "PodFailurePolicy",
            "Container trainer for pod ns/p failed with exit code 1 matching FailJob rule at index 3"));

    RunPlan retried = planner.plan(run, observed(jobs));

    assertThat(retried.jobs()).containsKeys("r-expert-0-a1", "r-expert-1-a1", "r-expert-1-a2");
    assertThat(retried.experts().get(1).getAttempt()).isEqualTo(2);
    assertThat(retried.experts().get(1).getRestarts()).isEqualTo(1);
    assertThat(retried.experts().get(0).getAttempt()).isEqualTo(1);
    assertThat(retried.events()).extracting(RunEvent::reason).containsExactly("ExpertRestarted");
    assertThat(retried.jobs().get("r-expert-1-a2").getMetadata().getAnnotations())
        .containsEntry("archipelago.dev/restarts-before", "1");

    // A replay on a stale status (still attempt 1) sees the new Job and repeats nothing.
    jobs.put("r-expert-1-a2", retried.jobs().get("r-expert-1-a2"));
    RunPlan replay = planner.plan(run, observed(jobs));
    assertThat(replay.experts().get(1).getAttempt()).isEqualTo(2);
    assertThat(replay.experts().get(1).getRestarts()).isEqualTo(1);
    assertThat(replay.events()).isEmpty();
  }
}
