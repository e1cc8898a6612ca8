package dev.archipelago.e2e.chart;

import dev.archipelago.api.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A run's children by kind/name, with the uid and generation that change if anyone touches them.
 */
record RunChildren(Map<String, String> identities) {
  static RunChildren of(KubernetesClient client, String run) {
    Map<String, String> identities = new TreeMap<>();
    Stream.of(
            client.batch().v1().jobs().withLabel(Labels.RUN, run).list().getItems(),
            client.apps().deployments().withLabel(Labels.RUN, run).list().getItems(),
            client.services().withLabel(Labels.RUN, run).list().getItems(),
            client.configMaps().withLabel(Labels.RUN, run).list().getItems(),
            client.network().v1().networkPolicies().withLabel(Labels.RUN, run).list().getItems())
        .flatMap(List::stream)
        .forEach(
            o ->
                identities.put(
                    key(o), o.getMetadata().getUid() + "@" + o.getMetadata().getGeneration()));
    return new RunChildren(identities);
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }
}
