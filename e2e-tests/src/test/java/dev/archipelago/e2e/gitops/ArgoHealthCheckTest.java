package dev.archipelago.e2e.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health check on DDMRuns recorded from real runs on the test cluster (by
 * KstatusConformanceIT): each fixture's name starts with the health Argo CD must show.
 */
class ArgoHealthCheckTest {
  private static final ArgoHealth HEALTH = ArgoHealth.load();

  static List<String> recordedRuns() {
    return List.of(
        "progressing-no-status.yaml",
        "progressing-partitioning.yaml",
        "progressing-training.yaml",
        "progressing-serving-not-ready.yaml",
        "progressing-generation-not-yet-observed.yaml",
        "healthy-serving.yaml",
        "degraded-stalled-permanent-exit-code.yaml",
        "suspended.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedRuns")
  void mapsARecordedStatusToTheHealthInItsName(String fixture) throws IOException {
    Map<?, ?> run = load(fixture);
    String expected =
        switch (fixture.split("[-.]")[0]) {
          case "healthy" -> "Healthy";
          case "progressing" -> "Progressing";
          case "degraded" -> "Degraded";
          case "suspended" -> "Suspended";
          default -> throw new IllegalArgumentException(fixture);
        };
    ArgoHealth.Health health = HEALTH.of(run);
    assertThat(health.status()).isEqualTo(expected);
    assertThat(health.message()).isNotBlank();
  }

  @Test
  void aStalledRunSaysWhichExpertAndWhy() throws IOException {
    assertThat(HEALTH.of(load("degraded-stalled-permanent-exit-code.yaml")).message())
        .contains("expert")
        .contains("exit code");
  }

  private static Map<?, ?> load(String fixture) throws IOException {
    try (InputStream in =
        ArgoHealthCheckTest.class.getResourceAsStream("/argocd/ddmrun/" + fixture)) {
      assertThat(in).as(fixture).isNotNull();
      return new KubernetesSerialization().unmarshal(in, Map.class);
    }
  }
}
