package dev.archipelago.operator.run.policy;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a pod has not started, in the words of the scheduler or the kubelet: Unschedulable (no node
 * with the GPUs, a taint without toleration, a full pool) or a container that cannot be created (an
 * image that cannot be pulled, a missing Secret or ConfigMap).
 */
public final class PodWaiting {
  /** Container waiting reasons that are not just "starting". */
  private static final Set<String> STUCK =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  private PodWaiting() {}

  /** A Job created for a queue and not (or no longer) admitted: Kueue holds it suspended. */
  public static boolean queued(Job job) {
    return Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  /** Why a Job's pod is not running: held by its queue, or what the pod says. */
  public static Optional<String> why(Job job, Pod pod) {
    if (job != null && queued(job)) {
      String queue =
          job.getMetadata().getLabels() == null
              ? null
              : job.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name");
      return Optional.of(
          queue == null
              ? "the Job is suspended"
              : "waiting for admission: Kueue holds the Job until LocalQueue "
                  + queue
                  + " has quota");
    }
    return why(pod);
  }

  /** Why the Job's pod is not running, if the pod says; empty while it simply starts. */
  public static Optional<String> why(Pod pod) {
    if (pod == null || pod.getStatus() == null) {
      return Optional.empty();
    }
    for (PodCondition c : orEmpty(pod.getStatus().getConditions())) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
        return Optional.of(
            (c.getReason() == null ? "not scheduled" : c.getReason())
                + (c.getMessage() == null ? "" : ": " + c.getMessage()));
      }
    }
    for (ContainerStatus s : orEmpty(pod.getStatus().getContainerStatuses())) {
      ContainerStateWaiting waiting = s.getState() == null ? null : s.getState().getWaiting();
      if (waiting != null && STUCK.contains(waiting.getReason())) {
        return Optional.of(
            "container "
                + s.getName()
                + ": "
                + waiting.getReason()
                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
      }
    }
    return Optional.empty();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
