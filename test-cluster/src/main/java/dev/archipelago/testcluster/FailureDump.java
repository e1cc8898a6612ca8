package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence of a failed test: the namespace's events (oldest first), its objects and the nodes as
 * YAML, and the control plane's component logs. Best effort: a failure here never masks the test's
 * own failure.
 */
final class FailureDump {
  private static final Logger LOG = LoggerFactory.getLogger(FailureDump.class);

  private final KubernetesClient client;
  private final String namespace;
  private final ClusterBackend backend;

  FailureDump(KubernetesClient client, String namespace, ClusterBackend backend) {
    this.client = client;
    this.namespace = namespace;
    this.backend = backend;
  }

  void writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("events.txt"), events());
      Files.writeString(dir.resolve("objects.yaml"), objectsYaml());
      Files.writeString(dir.resolve("nodes.yaml"), yaml(client.nodes().list().getItems()));
      copyComponentLogs(dir.resolve("component-logs"));
      LOG.error("test failed; cluster state of namespace {} dumped to {}", namespace, dir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not dump cluster state to {}: {}", dir, e.toString());
    }
  }

  private String events() {
    StringBuilder out = new StringBuilder();
    client.v1().events().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(FailureDump::eventTime))
        .forEach(
            e ->
                out.append(eventTime(e))
                    .append(' ')
                    .append(e.getType())
                    .append(' ')
                    .append(e.getInvolvedObject().getKind())
                    .append('/')
                    .append(e.getInvolvedObject().getName())
                    .append(' ')
                    .append(e.getReason())
                    .append(": ")
                    .append(e.getMessage())
                    .append('\n'));
    return out.toString();
  }

  private static String eventTime(Event e) {
    String t =
        e.getLastTimestamp() != null
            ? e.getLastTimestamp()
            : e.getEventTime() != null
                ? e.getEventTime().getTime()
                : e.getMetadata().getCreationTimestamp();
    return t == null ? "" : t;
  }

  private String objectsYaml() {
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(client.pods().inNamespace(namespace).list().getItems());
    objects.addAll(client.batch().v1().jobs().inNamespace(namespace).list().getItems());
    objects.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
    objects.addAll(client.apps().replicaSets().inNamespace(namespace).list().getItems());
    objects.addAll(client.services().inNamespace(namespace).list().getItems());
    objects.addAll(client.configMaps().inNamespace(namespace).list().getItems());
    objects.addAll(client.serviceAccounts().inNamespace(namespace).list().getItems());
    objects.addAll(client.rbac().roles().inNamespace(namespace).list().getItems());
    objects.addAll(client.rbac().roleBindings().inNamespace(namespace).list().getItems());
    objects.addAll(
        client.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
    objects.addAll(customResources());
    return yaml(objects);
  }

  /** Every namespaced custom resource in the namespace, whatever CRDs the test installed. */
  private List<GenericKubernetesResource> customResources() {
    List<GenericKubernetesResource> found = new ArrayList<>();
    for (CustomResourceDefinition crd :
        client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      if (!"Namespaced".equals(crd.getSpec().getScope())) {
        continue;
      }
      crd.getSpec().getVersions().stream()
          .filter(v -> Boolean.TRUE.equals(v.getStorage()))
          .findFirst()
          .ifPresent(
              v ->
                  found.addAll(
                      client
                          .genericKubernetesResources(
                              new ResourceDefinitionContext.Builder()
                                  .withGroup(crd.getSpec().getGroup())
                                  .withVersion(v.getName())
                                  .withPlural(crd.getSpec().getNames().getPlural())
                                  .withKind(crd.getSpec().getNames().getKind())
                                  .withNamespaced(true)
                                  .build())
                          .inNamespace(namespace)
                          .list()
                          .getItems()));
    }
    return found;
  }

  private static String yaml(List<? extends HasMetadata> objects) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata o : objects) {
      out.append(Serialization.asYaml(o));
    }
    return out.toString();
  }

  private void copyComponentLogs(Path target) throws IOException {
    if (backend.componentLogs().isEmpty() || !Files.isDirectory(backend.componentLogs().get())) {
      return;
    }
    Files.createDirectories(target);
    try (Stream<Path> logs = Files.list(backend.componentLogs().get())) {
      for (Path log : (Iterable<Path>) logs::iterator) {
        Files.copy(
            log,
            target.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
