package dev.archipelago.api.validation;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.archipelago.api.ArchipelagoApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Installs the CRDs the build generated (not the committed copies: CrdDriftTest keeps those equal)
 * with server-side apply, once per cluster, and addresses their objects without discovery.
 */
final class ArchipelagoCrds {
  private static final Path GENERATED =
      Path.of(System.getProperty("basedir", ""))
          .toAbsolutePath()
          .resolve("target/classes/META-INF/fabric8");
  private static final List<String> FILES =
      List.of("ddmruns.archipelago.dev-v1.yml", "computeislands.archipelago.dev-v1.yml");

  static final ResourceDefinitionContext DDM_RUNS =
      context(ArchipelagoApi.DDM_RUN_KIND, ArchipelagoApi.DDM_RUN_PLURAL, true);
  static final ResourceDefinitionContext COMPUTE_ISLANDS =
      context(ArchipelagoApi.COMPUTE_ISLAND_KIND, ArchipelagoApi.COMPUTE_ISLAND_PLURAL, false);

  private static String installedOn;

  private ArchipelagoCrds() {}

  /** Applies both CRDs and waits until the API server serves them. */
  static synchronized void install(KubernetesClient client) {
    String server = client.getConfiguration().getMasterUrl();
    if (server.equals(installedOn)) {
      return;
    }
    for (String file : FILES) {
      CustomResourceDefinition crd = read(client, GENERATED.resolve(file));
      client.resource(crd).forceConflicts().serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(ArchipelagoCrds::established, 60, SECONDS);
    }
    // Established can precede the handler being routable by a moment.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> islands(client).list() != null && runs(client).list() != null);
    installedOn = server;
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      runs(KubernetesClient client) {
    return client.genericKubernetesResources(DDM_RUNS).inNamespace(client.getNamespace());
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      islands(KubernetesClient client) {
    return client.genericKubernetesResources(COMPUTE_ISLANDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static CustomResourceDefinition read(KubernetesClient client, Path file) {
    try {
      return client
          .getKubernetesSerialization()
          .unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("run the build first: " + file, e);
    }
  }

  private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(ArchipelagoApi.GROUP)
        .withVersion(ArchipelagoApi.VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }
}
