package dev.archipelago.e2e.flow;

import dev.archipelago.e2e.chart.ChartFiles;
import dev.archipelago.testcluster.CustomResourceDefinitions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes sure the chart's CRDs exist for tests that do not install the chart (helm install skips
 * CRDs that already exist, as it does on a real cluster).
 */
public final class Crds {
  private static volatile boolean installed;

  private Crds() {}

  public static synchronized void ensureInstalled(KubernetesClient client) {
    if (installed) {
      return;
    }
    for (Path file : files()) {
      try {
        CustomResourceDefinitions.install(client, Files.newInputStream(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    installed = true;
  }

  private static List<Path> files() {
    try (Stream<Path> files = Files.list(ChartFiles.CHART_CRDS)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
