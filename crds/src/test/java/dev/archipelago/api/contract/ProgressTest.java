package dev.archipelago.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.123Z");

  @Test
  void anExpertReportSurvivesAJsonRoundTrip() {
    Progress progress =
        new Progress(
            ProgressPhase.Training,
            2,
            1500,
            3000,
            0.0421,
            812.5,
            95L,
            1000L,
            3,
            NOW,
            null,
            null,
            null);

    String json = ContractJson.write(progress);

    assertThat(ContractJson.read(json, Progress.class)).isEqualTo(progress);
    assertThat(json).contains("\"updatedAt\":\"2025-01-02T03:04:05.123Z\"");
    assertThat(json).doesNotContain("routerAccuracy", "message");
  }

  @Test
  void aRouterReportCarriesAccuracyPerNoiseLevel() {
    Progress progress =
        new Progress(
            ProgressPhase.Completed,
            1,
            200,
            200,
            0.9,
            null,
            0L,
            200L,
            0,
            NOW,
            "done",
            List.of(new NoiseLevelAccuracy(0.1, 0.9), new NoiseLevelAccuracy(0.9, 0.3)),
            null);

    Progress read = ContractJson.read(ContractJson.writeBytes(progress), Progress.class);

    assertThat(read).isEqualTo(progress);
    assertThat(read.meanRouterAccuracy()).hasValueCloseTo(0.6, within(1e-9));
    assertThat(ContractJson.write(read)).doesNotContain("meanRouterAccuracy");
  }

  @Test
  void aReportWithoutOptionalFiguresIsReadWithNulls() {
    String json =
        "{\"phase\":\"Starting\",\"attempt\":1,\"step\":0,\"totalSteps\":300,"
            + "\"skippedSamples\":0,\"updatedAt\":\"2025-01-02T03:04:05Z\",\"futureField\":true}";

    Progress read = ContractJson.read(json, Progress.class);

    assertThat(read.phase()).isEqualTo(ProgressPhase.Starting);
    assertThat(read.loss()).isNull();
    assertThat(read.lastCheckpointStep()).isNull();
    assertThat(read.meanRouterAccuracy()).isEmpty();
  }

  @Test
  void checkpointPointerAndClusterSizesSurviveAJsonRoundTrip() {
    CheckpointPointer pointer =
        new CheckpointPointer(
            2000, "p/ns/run/uid/experts/1/checkpoints/step-2000/", "0123456789abcdef", 2, NOW);
    ClusterSizes sizes = new ClusterSizes(List.of(120L, 80L, 56L));

    assertThat(ContractJson.read(ContractJson.write(pointer), CheckpointPointer.class))
        .isEqualTo(pointer);
    assertThat(ContractJson.read(ContractJson.write(sizes), ClusterSizes.class)).isEqualTo(sizes);
    assertThat(ContractJson.write(sizes)).isEqualTo("{\"sizes\":[120,80,56]}");
    assertThat(sizes.total()).isEqualTo(256);
  }
}
