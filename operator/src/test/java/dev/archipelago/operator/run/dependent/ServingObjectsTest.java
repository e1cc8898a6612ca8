package dev.archipelago.operator.run.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.PartitionStatus;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.RunPlan;
import dev.archipelago.operator.run.TestRuns;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServingObjectsTest {
  private static final ComputeIsland ISLAND = TestRuns.island("pool-a", null);

  @Test
  void colocatedServingIsOneDeploymentBehindOneService() {
    DDMRun run = TestRuns.run(3, List.of("pool-a"), "");
    Map<String, Deployment> deployments = ServingObjects.deployments(plan(run), ISLAND);
    assertThat(deployments).hasSize(1);
    Deployment only = deployments.values().iterator().next();
    // The API's batching and precision defaults reach serve, which keeps none of its own here.
    assertThat(args(only))
        .containsExactly(
            "serve", "--max-batch", "32", "--batch-wait-ms", "2", "--precision", "auto");
    List<Service> services = ServingObjects.services(run);
    assertThat(services).hasSize(1);
    assertThat(services.get(0).getSpec().getSelector())
        .containsAllEntriesOf(only.getSpec().getSelector().getMatchLabels());
    List<PodDisruptionBudget> budgets = ServingObjects.disruptionBudgets(run);
    assertThat(budgets).hasSize(1);
    assertThat(budgets.get(0).getMetadata().getName()).isEqualTo(only.getMetadata().getName());
    assertThat(budgets.get(0).getSpec().getSelector().getMatchLabels())
        .isEqualTo(only.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void aStudentIsServedColocatedEvenWhereTheTopologySaysDistributed() {
    // Admission refuses this spec; should one get through, the student is still one model.
    DDMRun run =
        TestRuns.run(
            3,
            List.of("pool-a"),
            "  distillation: {enabled: true}\n"
                + "  inference: {model: student, topology: distributed}\n");

    assertThat(ServingObjects.deployments(plan(run), ISLAND)).containsOnlyKeys("r-serve");
    assertThat(ServingObjects.services(run)).hasSize(1);
    assertThat(ServingObjects.disruptionBudgets(run)).hasSize(1);
  }

  @Test
  void distributedExpertsEachGetAServiceNamedAsTheRouterCallsThem() {
    DDMRun run = TestRuns.run(3, List.of("pool-a"), "  inference: {topology: distributed}\n");
    Map<String, Deployment> deployments = ServingObjects.deployments(plan(run), ISLAND);
    assertThat(deployments).hasSize(4);
    List<Service> services = ServingObjects.services(run);
    assertThat(services).hasSize(4);
    assertThat(ServingObjects.disruptionBudgets(run))
        .extracting(b -> b.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(deployments.keySet());

    Deployment router =
        deployments.values().stream()
            .filter(d -> args(d).contains("router"))
            .findFirst()
            .orElseThrow();
    String urls = args(router).get(args(router).indexOf("--expert-urls") + 1);
    List<String> expertUrls = List.of(urls.split(","));
    assertThat(expertUrls).hasSize(3);
    for (int k = 0; k < 3; k++) {
      String host = expertUrls.get(k).replace("http://", "").replace(":8080", "");
      Service service =
          services.stream()
              .filter(s -> s.getMetadata().getName().equals(host))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Service for " + host));
      Deployment expert = deployments.get(host);
      assertThat(args(expert)).containsSubsequence("--expert", Integer.toString(k));
      assertThat(expert.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(service.getSpec().getSelector());
      assertThat(router.getSpec().getTemplate().getMetadata().getLabels())
          .doesNotContainEntry(ServingObjects.COMPONENT, "expert-" + k);
    }
  }

  private static List<String> args(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  private static RunPlan plan(DDMRun run) {
    return new RunPlan(
        run,
        RunPhase.Serving,
        "trainer:test",
        Optional.empty(),
        new PartitionStatus(WorkerPhase.Succeeded, null),
        Map.of(),
        true,
        List.of(),
        null,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of());
  }
}
