package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.DDMRunStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Kubernetes Events on a run: every phase change, every restart and failure decided by
 * the plan, and the moment it stalls. Only changes produce events, so a steady run writes none.
 */
public final class RunEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);
  private static final String COMPONENT = "archipelago-operator";

  private final KubernetesClient client;

  public RunEvents(KubernetesClient client) {
    this.client = client;
  }

  public void publish(
      DDMRun run, DDMRunStatus previous, DDMRunStatus next, List<RunEvent> decided) {
    List<RunEvent> events = new ArrayList<>(decided);
    Object oldPhase = previous == null ? null : previous.getPhase();
    if (!Objects.equals(oldPhase, next.getPhase())) {
      events.add(
          RunEvent.normal(
              "Phase" + next.getPhase(),
              "phase " + (oldPhase == null ? "(new)" : oldPhase) + " -> " + next.getPhase()));
    }
    for (RunEvent e : events) {
      emit(run, e);
    }
  }

  /** Publishes one event now, outside a status change. */
  public void emit(DDMRun run, RunEvent event) {
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(run.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(run.getMetadata().getName() + ".")
                  .withNamespace(run.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(run.getApiVersion())
                  .withKind(run.getKind())
                  .withName(run.getMetadata().getName())
                  .withNamespace(run.getMetadata().getNamespace())
                  .withUid(run.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(event.warning() ? "Warning" : "Normal")
                  .withReason(event.reason())
                  .withMessage(event.message())
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (RuntimeException e) {
      // An event is a courtesy; losing one must not fail the reconcile.
      LOG.warn("could not publish event {}: {}", event.reason(), e.getMessage());
    }
  }
}
