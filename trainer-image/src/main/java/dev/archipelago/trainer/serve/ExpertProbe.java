package dev.archipelago.trainer.serve;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router role's readiness: it is ready only while every distributed expert answers its {@code
 * /readyz}. Probed in the background every few seconds so that {@code /readyz} answers at once; the
 * problem names the first expert that is down.
 */
public final class ExpertProbe implements Supplier<String>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpertProbe.class);

  private final List<RemoteExpert> experts;
  private final ScheduledExecutorService timer;
  private volatile String problem = "experts not probed yet";

  public ExpertProbe(List<RemoteExpert> experts, Duration period) {
    this.experts = List.copyOf(experts);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "expert-probe");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Probes every expert now; returns the problem (null when all are ready). */
  public String probe() {
    String found = null;
    for (RemoteExpert expert : experts) {
      String reason = expert.readinessProblem();
      if (reason != null) {
        found = "expert " + expert.index() + " at " + expert.base() + " is not ready: " + reason;
        break;
      }
    }
    if (found != null && !found.equals(problem)) {
      LOG.warn("{}", found);
    } else if (found == null && problem != null) {
      LOG.info("all {} experts are ready", experts.size());
    }
    problem = found;
    return found;
  }

  @Override
  public String get() {
    return problem;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
