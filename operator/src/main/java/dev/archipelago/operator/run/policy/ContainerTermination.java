package dev.archipelago.operator.run.policy;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Optional;

/**
 * What the kubelet says about how a trainer container ended, for what the Job's own condition
 * cannot tell: the Job controller reports exit code 137 alike for an OOM kill and any SIGKILL, the
 * container status names the OOM killer.
 */
public final class ContainerTermination {
  static final String OOM_KILLED = "OOMKilled";

  private ContainerTermination() {}

  /** A sentence for status and events when the pod's container was OOM-killed. */
  public static Optional<String> explain(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      ContainerStateTerminated ended =
          status.getState() == null ? null : status.getState().getTerminated();
      if (ended != null && OOM_KILLED.equals(ended.getReason())) {
        return Optional.of(
            "container "
                + status.getName()
                + " OOMKilled (exit "
                + ended.getExitCode()
                + ") above its memory limit"
                + memoryLimit(pod, status.getName()).map(l -> " of " + l).orElse("")
                + "; raise spec.resources.memory");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> memoryLimit(Pod pod, String container) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(container))
        .findFirst()
        .map(c -> c.getResources() == null ? null : c.getResources().getLimits())
        .map(limits -> limits.get("memory"))
        .map(Quantity::toString);
  }
}
