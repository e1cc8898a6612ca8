package dev.archipelago.operator.run.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.operator.run.TestRuns;
import dev.archipelago.operator.run.policy.PodFailureRules;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRendererTest {
  private static final ComputeIsland ISLAND = TestRuns.island("pool-a", null);

  @Test
  void eachTrainerIsToldTheGpusItsContainerHolds() {
    DDMRun run = TestRuns.run(2, List.of("pool-a"), "  resources: {gpus: 2}\n");
    JobRenderer render = new JobRenderer(run, "trainer:test");
    PodFailureRules rules = new PodFailureRules(run.getSpec().getFailurePolicy());

    Container expert = container(render.expert(0, 1, ISLAND, rules, 0, 0));
    assertThat(env(expert, PodEnv.GPUS)).isEqualTo("2");
    assertThat(expert.getResources().getLimits())
        .containsEntry(ISLAND.getSpec().getGpu().getResourceName(), new Quantity("2"));
    assertThat(env(container(render.router(ISLAND)), PodEnv.GPUS)).isEqualTo("1");
    assertThat(env(container(render.partition(ISLAND)), PodEnv.GPUS)).isEqualTo("1");
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + container.getEnv()));
  }
}
