package dev.archipelago.trainer.job;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM (what Kubernetes sends before killing a pod) into a stop request. The JVM's own
 * handler would start shutdown at once; replacing it lets the trainer finish its step, checkpoint
 * and exit with PREEMPTED inside the grace period.
 */
public final class SigtermStopSignal implements StopSignal {
  private static final Logger LOG = LoggerFactory.getLogger(SigtermStopSignal.class);

  private final AtomicBoolean received = new AtomicBoolean();

  /** Installs the handler; call once per process. */
  public static SigtermStopSignal install() {
    SigtermStopSignal signal = new SigtermStopSignal();
    Signal.handle(
        new Signal("TERM"),
        s -> {
          if (signal.received.compareAndSet(false, true)) {
            LOG.warn("SIGTERM received: finishing the step, then checkpointing and exiting");
          }
        });
    return signal;
  }

  @Override
  public boolean stopRequested(long completedSteps) {
    return received.get();
  }
}
