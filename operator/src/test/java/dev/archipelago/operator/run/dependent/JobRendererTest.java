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
    JobRenderer render = new JobRenderer(run, "trainer:test", new RenderedSpecs());
    PodFailureRules rules = new PodFailureRules(run.getSpec().getFailurePolicy());

    Container expert = container(render.expert(0, 1, ISLAND, rules, 0, 0).job());
    assertThat(env(expert, PodEnv.GPUS)).isEqualTo("2");
    assertThat(expert.getResources().getLimits())
        .containsEntry(ISLAND.getSpec().getGpu().getResourceName(), new Quantity("2"));
    assertThat(env(container(render.router(ISLAND).job()), PodEnv.GPUS)).isEqualTo("1");
    assertThat(env(container(render.partition(ISLAND).job()), PodEnv.GPUS)).isEqualTo("1");
  }

  @Test
  void aSpecHashIsRenderedOncePerGenerationAndAnEditIsANewRendering() {
    DDMRun run = TestRuns.run(2, List.of("pool-a"), "");
    run.getMetadata().setUid("u1");
    run.getMetadata().setGeneration(1L);
    RenderedSpecs specs = new RenderedSpecs();
    PodFailureRules rules = new PodFailureRules(run.getSpec().getFailurePolicy());

    String first = new JobRenderer(run, "t", specs).expert(0, 1, ISLAND, rules, 0, 0).specHash();
    assertThat(new JobRenderer(run, "t", specs).expert(0, 1, ISLAND, rules, 0, 0).specHash())
        .isEqualTo(first);
    assertThat(specs.size()).isEqualTo(1);
    // The hash is the one the rendered Job carries.
    assertThat(
            JobRenderer.renderedSpec(
                new JobRenderer(run, "t", specs).expert(0, 1, ISLAND, rules, 0, 0).job()))
        .contains(first);

    run.getSpec().getResources().setMemory(new Quantity("3Gi"));
    run.getMetadata().setGeneration(2L);
    String edited = new JobRenderer(run, "t", specs).expert(0, 1, ISLAND, rules, 0, 0).specHash();
    assertThat(edited).isNotEqualTo(first);
    assertThat(new JobRenderer(run, "t2", specs).expert(0, 1, ISLAND, rules, 0, 0).specHash())
        .as("another trainer image")
        .isNotEqualTo(edited);
    assertThat(specs.size()).isEqualTo(3);
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
