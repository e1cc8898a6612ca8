package dev.archipelago.trainer.job;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM (what Kubernetes sends before killing a pod) into a stop request. The JVM's own
 * handler would start shutdown at once; replacing it lets the trainer finish its step, checkpoint
 * and exit with PREEMPTED inside the grace period. Other sources (a parent that went away, SIGINT
 * under {@code local run}) request the same stop through {@link #request(String)}.
 */
public final class SigtermStopSignal implements StopSignal {
  private static final Logger LOG = LoggerFactory.getLogger(SigtermStopSignal.class);

  private final AtomicBoolean received = new AtomicBoolean();

  /** Installs the SIGTERM handler; call once per process. */
  public static SigtermStopSignal install() {
    SigtermStopSignal signal = new SigtermStopSignal();
    signal.handle("TERM");
    return signal;
  }

  /**
   * Also treats SIGINT as a stop request. Under {@code local run} a terminal's Ctrl-C reaches the
   * whole process group, children included; they must checkpoint, not die.
   */
  public SigtermStopSignal alsoOnInterrupt() {
    handle("INT");
    return this;
  }

  /** Asks the training loop to stop after its current step; {@code why} is logged once. */
  public void request(String why) {
    if (received.compareAndSet(false, true)) {
      LOG.warn("{}: finishing the step, then checkpointing and exiting", why);
    }
  }

  @Override
  public boolean stopRequested(long completedSteps) {
    return received.get();
  }

  private void handle(String name) {
    Signal.handle(new Signal(name), s -> request("SIG" + name + " received"));
  }
}
