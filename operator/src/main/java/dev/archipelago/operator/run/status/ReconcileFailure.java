package dev.archipelago.operator.run.status;

import dev.archipelago.operator.run.RunEvent;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Why a reconcile failed, as status and an Event say it. A child the API server refused (invalid,
 * forbidden by an admission policy or quota) needs a change from a person: the run is Stalled with
 * the child's kind, name and the server's message. Anything else (a timeout, a conflict, the API
 * server unavailable) is retried with back-off, and the run stays Reconciling with the error.
 *
 * @param rejected whether the API server refused a child object
 */
public record ReconcileFailure(boolean rejected, String message) {
  private static final int MAX_MESSAGE = 1000;

  public static ReconcileFailure of(Exception error) {
    Optional<KubernetesClientException> refusal = firstRefusal(error);
    if (refusal.isPresent()) {
      return new ReconcileFailure(true, trim(describe(refusal.get())));
    }
    return new ReconcileFailure(false, trim("reconcile failed, retrying: " + error.getMessage()));
  }

  public String eventReason() {
    return rejected ? "ChildRejected" : "ReconcileFailed";
  }

  public RunEvent event() {
    return RunEvent.warning(eventReason(), message);
  }

  private static String describe(KubernetesClientException e) {
    Status status = e.getStatus();
    String what = "a child object";
    String message = e.getMessage();
    if (status != null) {
      if (status.getDetails() != null && status.getDetails().getName() != null) {
        what = status.getDetails().getKind() + " " + status.getDetails().getName();
      }
      if (status.getMessage() != null) {
        message = status.getMessage();
      }
    }
    return "the API server rejected " + what + " (HTTP " + e.getCode() + "): " + message;
  }

  /** A 4xx answer that retrying the same request cannot fix (not a conflict or throttling). */
  private static Optional<KubernetesClientException> firstRefusal(Throwable error) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Set<Throwable> seen = new HashSet<>();
    todo.add(error);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof KubernetesClientException k
          && k.getCode() >= 400
          && k.getCode() < 500
          && k.getCode() != 409
          && k.getCode() != 429) {
        return Optional.of(k);
      }
      if (t instanceof AggregatedOperatorException a) {
        todo.addAll(a.getAggregatedExceptions().values());
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
    }
    return Optional.empty();
  }

  private static String trim(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
