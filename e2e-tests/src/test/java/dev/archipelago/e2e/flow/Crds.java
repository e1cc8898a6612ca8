package dev.archipelago.e2e.flow;

import dev.archipelago.e2e.chart.ChartFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        var crds = client.apiextensions().v1().customResourceDefinitions();
        crds.resource(crd).forceConflicts().serverSideApply();
        crds.withName(crd.getMetadata().getName())
            .waitUntilCondition(
                c ->
                    c.getStatus() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                x ->
                                    "Established".equals(x.getType())
                                        && "True".equals(x.getStatus())),
                30,
                TimeUnit.SECONDS);
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
