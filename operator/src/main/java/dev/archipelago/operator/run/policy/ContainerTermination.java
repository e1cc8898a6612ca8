package dev.archipelago.operator.run.policy;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Optional;

/**
 * What the kubelet says about how a trainer container ended, for what the Job's own condition
 * cannot tell: the Job controller reports exit code 137 alike for an OOM kill and any SIGKILL, the
 * container status names the OOM killer; and the trainer's own last word (its termination message:
 * the reason it wrote, or the tail of its log when it wrote none).
 */
public final class ContainerTermination {
  static final String OOM_KILLED = "OOMKilled";

  /** Enough of a termination message for a status line. */
  static final int MAX_MESSAGE_CHARS = 300;

  private ContainerTermination() {}

  /** A sentence for status and events when the pod's container was OOM-killed or said why. */
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
      if (ended != null && ended.getExitCode() != 0 && lastLine(ended.getMessage()) != null) {
        return Optional.of(
            "container "
                + status.getName()
                + " exited "
                + ended.getExitCode()
                + ": "
                + lastLine(ended.getMessage()));
      }
    }
    return Optional.empty();
  }

  // FallbackToLogsOnError gives up to 80 lines of log; the last one is the error.
  private static String lastLine(String message) {
    if (message == null || message.isBlank()) {
      return null;
    }
    String[] lines = message.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.length() > MAX_MESSAGE_CHARS ? last.substring(0, MAX_MESSAGE_CHARS) + "…" : last;
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
