package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Decides how simulated pods end. kwok keeps a started pod Running until told otherwise; the {@code
 * kwok-stages.yaml} shipped beside this class turns these annotations into the container and pod
 * status a kubelet would report.
 */
public final class PodOutcomes {
  /** Exit code every container of the pod ends with; 0 means Succeeded, anything else Failed. */
  public static final String EXIT_CODE_ANNOTATION = "kwok.archipelago.dev/exit-code";

  /** Optional termination reason (default "Completed" for 0, "Error" otherwise). */
  public static final String REASON_ANNOTATION = "kwok.archipelago.dev/reason";

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String namespace;

  PodOutcomes(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The pod's containers exit 0 and the pod Succeeds. */
  public void succeed(String podName) {
    exit(podName, 0);
  }

  /** The pod's containers exit with {@code exitCode} (non-zero) and the pod Fails. */
  public void fail(String podName, int exitCode) {
    if (exitCode == 0) {
      throw new IllegalArgumentException("a failing exit code must be non-zero");
    }
    exit(podName, exitCode);
  }

  /** Evicts the pod through the Eviction API, as a node drain or the cluster autoscaler does. */
  public void evict(String podName) {
    if (!pods().withName(podName).evict()) {
      throw new IllegalStateException("eviction of pod " + podName + " was refused");
    }
  }

  /** Waits until the named pod is Running on a node, and returns it. */
  public Pod awaitRunning(String podName) {
    return await(podName, p -> "Running".equals(p.getStatus().getPhase()), "Running");
  }

  /** Waits until the pods matching the label selector number {@code count}, all Running. */
  public List<Pod> awaitRunning(String labelKey, String labelValue, int count) {
    return Awaitility.await(count + " pods " + labelKey + "=" + labelValue + " Running")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> pods().withLabel(labelKey, labelValue).list().getItems(),
            list ->
                list.size() == count
                    && list.stream().allMatch(p -> "Running".equals(p.getStatus().getPhase())));
  }

  /** Waits for the pod to satisfy {@code condition}, naming {@code what} in the timeout message. */
  public Pod await(String podName, Predicate<Pod> condition, String what) {
    return Awaitility.await("pod " + namespace + "/" + podName + " " + what)
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> pods().withName(podName).get(),
            p -> p != null && p.getStatus() != null && condition.test(p));
  }

  private void exit(String podName, int exitCode) {
    awaitRunning(podName);
    String patch =
        "{\"metadata\":{\"annotations\":{\"" + EXIT_CODE_ANNOTATION + "\":\"" + exitCode + "\"}}}";
    pods().withName(podName).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
    return client.pods().inNamespace(namespace);
  }
}
