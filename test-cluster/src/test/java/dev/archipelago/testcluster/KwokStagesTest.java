package dev.archipelago.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KwokStagesTest {

  @Test
  void theShippedStagesCoverNodesAndEveryPodTransitionTheTestsScript() throws Exception {
    List<GenericKubernetesResource> stages;
    try (InputStream in = KwokClusterBackend.class.getResourceAsStream("kwok-stages.yaml")) {
      stages = Serialization.unmarshal(in);
    }

    assertThat(stages).allMatch(s -> "Stage".equals(s.getKind()));
    assertThat(stages.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toList()))
        .containsExactly(
            "node-ready", "node-heartbeat", "pod-running", "pod-exit", "pod-killed", "pod-delete");
  }

  @Test
  void noStageCompletesAPodWithoutTheTestsExitCodeAnnotation() throws Exception {
    String yaml;
    try (InputStream in = KwokClusterBackend.class.getResourceAsStream("kwok-stages.yaml")) {
      yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    // kwok's default pod-complete stage finishes every Job pod at once; ours must not exist.
    assertThat(yaml).doesNotContain("name: pod-complete");
    assertThat(yaml).contains(PodOutcomes.EXIT_CODE_ANNOTATION);
  }
}
