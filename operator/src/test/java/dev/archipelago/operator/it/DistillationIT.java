package dev.archipelago.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.StorageLocation;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import dev.archipelago.testfixtures.EmbeddedS3Extension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run that distils, on the real test cluster: its distillation Job starts only once every expert
 * and the router completed, and the student is served once it completes.
 */
@ExtendWith({TestClusterExtension.class, EmbeddedS3Extension.class})
class DistillationIT {
  @Test
  void theStudentDistilsAfterTheWholeEnsembleAndIsServedOnceItCompletes(
      TestCluster cluster, EmbeddedS3 s3) throws Exception {
    try (RunScenario scenario = new RunScenario(cluster, s3)) {
      scenario.island("isl-a", 1, null).island("isl-b", 1, null);
      scenario.startOperator();
      scenario.startTraining(
          "student",
          2,
          "  distillation: {enabled: true, steps: 200}\n  inference: {model: student}\n");
      Pod zero = scenario.awaitRunningPod("student", Role.EXPERT, 0, 1);
      Pod one = scenario.awaitRunningPod("student", Role.EXPERT, 1, 1);
      cluster.pods().succeed(zero.getMetadata().getName());
      Pod router = scenario.awaitRunningPod("student", Role.ROUTER, null, 1);
      cluster.pods().succeed(router.getMetadata().getName());

      DDMRun waiting =
          scenario.awaitRun(
              "student",
              "router and expert 0 done, expert 1 training",
              r ->
                  r.getStatus().getRouter().getPhase() == WorkerPhase.Succeeded
                      && scenario.expert(r, 0).getPhase() == WorkerPhase.Succeeded);
      assertThat(waiting.getStatus().getPhase()).isEqualTo(RunPhase.Training);
      assertThat(waiting.getStatus().getDistillation().getPhase()).isEqualTo(WorkerPhase.Pending);
      assertThat(waiting.getStatus().getDistillation().getMessage())
          .isEqualTo("waiting for the experts and the router");
      assertThat(scenario.jobs("student", Role.DISTILL)).isEmpty();

      cluster.pods().succeed(one.getMetadata().getName());
      Pod student = scenario.awaitRunningPod("student", Role.DISTILL, null, 1);
      assertThat(student.getMetadata().getLabels().get("job-name")).isEqualTo("student-distill-a1");
      assertThat(RunScenario.env(student, PodEnv.ROLE)).isEqualTo("distill");
      assertThat(scenario.nodesByIsland.get(scenario.islands().get(0)))
          .as("on the router's island")
          .contains(student.getSpec().getNodeName());
      writeStudentProgress(s3, scenario.run("student"), 120);
      DDMRun distilling =
          scenario.awaitRun(
              "student",
              "Distilling with the student's progress",
              r ->
                  r.getStatus().getPhase() == RunPhase.Distilling
                      && Long.valueOf(120).equals(r.getStatus().getDistillation().getStep()));
      assertThat(distilling.getStatus().getDistillation().getPhase())
          .isEqualTo(WorkerPhase.Running);
      assertThat(distilling.getStatus().getDistillation().getTotalSteps()).isEqualTo(200L);
      assertThat(RunScenario.conditionMessage(distilling, ConditionType.RECONCILING))
          .contains("distilling the ensemble into the student");
      assertThat(deployments(cluster)).as("serving waits for the student").isEmpty();
      assertThat(
              cluster
                  .client()
                  .network()
                  .v1()
                  .networkPolicies()
                  .withLabel(Labels.RUN, "student")
                  .list()
                  .getItems()
                  .get(0)
                  .getSpec()
                  .getPodSelector()
                  .getMatchExpressions()
                  .get(0)
                  .getValues())
          .as("the student's pod is isolated as the other trainers")
          .contains("distill");

      cluster.pods().succeed(student.getMetadata().getName());
      DDMRun serving =
          scenario.awaitRun(
              "student",
              "Serving and Ready",
              r ->
                  r.getStatus().getPhase() == RunPhase.Serving
                      && RunScenario.isTrue(r, ConditionType.READY));
      assertThat(serving.getStatus().getDistillation().getPhase()).isEqualTo(WorkerPhase.Succeeded);
      assertThat(deployments(cluster)).hasSize(1);
      assertThat(cluster.client().v1().events().list().getItems())
          .anyMatch(
              e ->
                  "PhaseDistilling".equals(e.getReason())
                      && "student".equals(e.getInvolvedObject().getName()));
    }
  }

  private static List<Deployment> deployments(TestCluster cluster) {
    return cluster.client().apps().deployments().withLabel(Labels.RUN, "student").list().getItems();
  }

  /** What the trainer's distill task writes as it trains (the fixture has no writer for it). */
  private static void writeStudentProgress(EmbeddedS3 s3, DDMRun run, long step) throws Exception {
    StorageLocation location =
        StorageLocation.of(
            run.getSpec().getStorage(),
            run.getMetadata().getNamespace(),
            run.getMetadata().getName(),
            run.getMetadata().getUid());
    byte[] bytes =
        ContractJson.writeBytes(
            new Progress(
                ProgressPhase.Training,
                1,
                step,
                200,
                0.3,
                64.0,
                10L,
                100L,
                0,
                Instant.now(),
                null,
                null,
                null));
    s3.client()
        .putObject(
            PutObjectArgs.builder()
                .bucket(location.bucket())
                .object(location.layout().distillationProgress())
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                .contentType("application/json")
                .build());
  }
}
