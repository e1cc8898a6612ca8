package dev.archipelago.testfixtures;

import dev.archipelago.testcluster.CustomResourceDefinitions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Installs the DDMRun and ComputeIsland CRDs, as generated from the model and shipped in the crds
 * jar, once per test JVM (CRDs are cluster-scoped and shared by all tests of a run).
 */
public final class ArchipelagoCrds {
  private static final List<String> FILES =
      List.of("ddmruns.archipelago.dev-v1.yml", "computeislands.archipelago.dev-v1.yml");
  private static volatile boolean installed;

  private ArchipelagoCrds() {}

  public static synchronized void ensureInstalled(KubernetesClient client) {
    if (installed) {
      return;
    }
    for (String file : FILES) {
      CustomResourceDefinitions.install(
          client, ArchipelagoCrds.class.getResourceAsStream("/META-INF/fabric8/" + file));
    }
    installed = true;
  }
}
