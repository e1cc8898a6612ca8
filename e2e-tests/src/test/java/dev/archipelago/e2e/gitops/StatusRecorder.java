package dev.archipelago.e2e.gitops;

import dev.archipelago.api.DDMRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every version of the namespace's DDMRuns the API server sends to a watch, in order: the real
 * status transitions a GitOps tool would see.
 */
final class StatusRecorder implements AutoCloseable {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private final List<DDMRun> versions = new ArrayList<>();
  private final SharedIndexInformer<DDMRun> informer;

  StatusRecorder(KubernetesClient client) {
    informer =
        client
            .resources(DDMRun.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(DDMRun run) {
                    record(run);
                  }

                  @Override
                  public void onUpdate(DDMRun old, DDMRun run) {
                    record(run);
                  }

                  @Override
                  public void onDelete(DDMRun run, boolean unknownFinalState) {}
                });
  }

  private synchronized void record(DDMRun run) {
    versions.add(YAML.clone(run));
  }

  /** The versions of one run, oldest first. */
  synchronized List<DDMRun> of(String name) {
    return versions.stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
  }

  /** Writes the recorded versions as YAML, to refresh ArgoHealthCheckTest's fixtures. */
  synchronized void writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      for (int i = 0; i < versions.size(); i++) {
        DDMRun run = versions.get(i);
        Files.writeString(
            dir.resolve(String.format("%s-%03d.yaml", run.getMetadata().getName(), i)),
            YAML.asYaml(run));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
