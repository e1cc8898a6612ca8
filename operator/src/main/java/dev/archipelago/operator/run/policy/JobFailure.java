package dev.archipelago.operator.run.policy;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.OptionalInt;

/**
 * A failed trainer Job, classified.
 *
 * @param kind what the failure means for retries
 * @param exitCode the trainer's exit code, when the Job reported one
 * @param detail the Job controller's message, for status and events
 */
public record JobFailure(FailureKind kind, OptionalInt exitCode, String detail) {

  /** This failure with what the kubelet said of the pod's container, when it adds anything. */
  public JobFailure explainedBy(Pod pod) {
    return ContainerTermination.explain(pod)
        .map(why -> new JobFailure(kind, exitCode, why + "; " + detail))
        .orElse(this);
  }
}
