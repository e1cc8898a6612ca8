package dev.archipelago.e2e.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chart and the generated CRDs live in the repository. */
public final class ChartFiles {
  public static final Path REPO = repoRoot();
  public static final Path CHART = REPO.resolve("helm/archipelago");
  public static final Path CHART_CRDS = CHART.resolve("crds");
  public static final Path GENERATED_CRDS = REPO.resolve("crds/generated");

  private ChartFiles() {}

  /** A values file of the chart's {@code ci/} directory (chart-testing's convention). */
  public static Path ciValues(String name) {
    return CHART.resolve("ci").resolve(name);
  }

  private static Path repoRoot() {
    // Failsafe passes the root; surefire runs in the module directory.
    String root = System.getProperty("archipelago.repo.root");
    Path start = Path.of(root != null ? root : System.getProperty("basedir", "")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("helm/archipelago/Chart.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no helm/archipelago/Chart.yaml above " + start);
  }
}
