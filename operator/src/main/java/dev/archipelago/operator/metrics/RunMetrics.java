package dev.archipelago.operator.metrics;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.DDMRunStatus;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.RunEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Archipelago's own Prometheus metrics, next to JOSDK's reconciliation metrics: {@code
 * archipelago_experts{namespace,run,phase}}, {@code archipelago_expert_step{...,expert}}, {@code
 * archipelago_expert_restarts_total} and {@code archipelago_expert_failures_total}.
 */
public final class RunMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  public RunMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(DDMRun run, DDMRunStatus status, List<RunEvent> decided) {
    String ns = run.getMetadata().getNamespace();
    String name = run.getMetadata().getName();
    for (WorkerPhase phase : WorkerPhase.values()) {
      long count = status.getExperts().stream().filter(e -> e.getPhase() == phase).count();
      gauge(
          "archipelago_experts",
          "Experts of a run by phase",
          Tags.of("namespace", ns, "run", name, "phase", phase.name()),
          count);
    }
    for (ExpertStatus e : status.getExperts()) {
      gauge(
          "archipelago_expert_step",
          "Last optimiser step an expert reported",
          Tags.of("namespace", ns, "run", name, "expert", Integer.toString(e.getExpert())),
          e.getStep() == null ? 0 : e.getStep());
    }
    for (RunEvent event : decided) {
      if ("ExpertRestarted".equals(event.reason()) || "ExpertRescheduled".equals(event.reason())) {
        Counter.builder("archipelago_expert_restarts")
            .description("Expert attempts started after a failure or disruption")
            .tags("namespace", ns, "run", name, "reason", event.reason())
            .register(registry)
            .increment();
      } else if ("ExpertFailed".equals(event.reason())) {
        Counter.builder("archipelago_expert_failures")
            .description("Experts that failed for good")
            .tags("namespace", ns, "run", name)
            .register(registry)
            .increment();
      }
    }
  }

  /** Drops a deleted run's gauges so they do not report stale values forever. */
  public void forget(DDMRun run) {
    String prefix = run.getMetadata().getNamespace() + "|" + run.getMetadata().getName() + "|";
    values.keySet().removeIf(k -> k.startsWith(prefix));
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("archipelago_expert"))
        .filter(
            m ->
                run.getMetadata().getName().equals(m.getId().getTag("run"))
                    && run.getMetadata().getNamespace().equals(m.getId().getTag("namespace")))
        .forEach(registry::remove);
  }

  private void gauge(String metric, String help, Tags tags, long value) {
    String key =
        tags.stream().filter(t -> t.getKey().equals("namespace")).findFirst().get().getValue()
            + "|"
            + tags.stream().filter(t -> t.getKey().equals("run")).findFirst().get().getValue()
            + "|"
            + metric
            + tags;
    AtomicLong holder =
        values.computeIfAbsent(
            key,
            k -> {
              AtomicLong v = new AtomicLong();
              Gauge.builder(metric, v, AtomicLong::get)
                  .description(help)
                  .tags(tags)
                  .register(registry);
              return v;
            });
    holder.set(value);
  }
}
