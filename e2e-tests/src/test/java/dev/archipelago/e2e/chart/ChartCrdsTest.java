package dev.archipelago.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRDs the model generates (crds/generated, itself guarded by the crds module's
 * CrdDriftTest), byte for byte, so CI fails when the chart's copy drifts. {@code
 * -Darchipelago.updateCrds=true} copies them into the chart instead, the same switch that updates
 * crds/generated.
 */
class ChartCrdsTest {
  private static final boolean UPDATE = Boolean.getBoolean("archipelago.updateCrds");

  @Test
  void theChartShipsExactlyTheGeneratedCrds() throws IOException {
    List<String> generated = yamlFiles(ChartFiles.GENERATED_CRDS);
    assertThat(generated).as("CRDs in crds/generated").isNotEmpty();
    if (UPDATE) {
      copyIntoChart(generated);
    }
    List<String> problems = new ArrayList<>();
    for (String name : generated) {
      Path copy = ChartFiles.CHART_CRDS.resolve(name);
      if (!Files.exists(copy)) {
        problems.add("helm/archipelago/crds/" + name + " is missing");
      } else if (Files.mismatch(copy, ChartFiles.GENERATED_CRDS.resolve(name)) != -1) {
        problems.add("helm/archipelago/crds/" + name + " differs from crds/generated/" + name);
      }
    }
    for (String name : yamlFiles(ChartFiles.CHART_CRDS)) {
      if (!generated.contains(name)) {
        problems.add("helm/archipelago/crds/" + name + " is not in crds/generated");
      }
    }
    assertThat(problems)
        .as(
            "The chart's CRDs drifted from crds/generated. Run `mvn -pl e2e-tests test"
                + " -Dtest=ChartCrdsTest -Darchipelago.updateCrds=true -DskipITs` (or copy"
                + " crds/generated/*.yml to helm/archipelago/crds/) and commit the result")
        .isEmpty();
  }

  private static void copyIntoChart(List<String> generated) throws IOException {
    Files.createDirectories(ChartFiles.CHART_CRDS);
    for (String name : yamlFiles(ChartFiles.CHART_CRDS)) {
      if (!generated.contains(name)) {
        Files.delete(ChartFiles.CHART_CRDS.resolve(name));
      }
    }
    for (String name : generated) {
      Files.copy(
          ChartFiles.GENERATED_CRDS.resolve(name),
          ChartFiles.CHART_CRDS.resolve(name),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<String> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }
}
