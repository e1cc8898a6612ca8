package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops this process when the one named by {@link TrainerEnv#PARENT_PID} exits: a parent killed
 * with SIGKILL cannot forward a SIGTERM, so its children must notice by themselves. Training loops
 * stop at the next step and checkpoint; a task that polls no stop signal (the partition) is halted
 * after a grace period.
 */
public final class ParentProcessWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ParentProcessWatch.class);

  /** Time a training loop gets to checkpoint before the process is halted anyway. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private ParentProcessWatch() {}

  /** Watches the parent named in {@code env}, if any; {@code stop} is asked to stop on its exit. */
  public static void watch(Map<String, String> env, SigtermStopSignal stop) {
    String pid = env.get(TrainerEnv.PARENT_PID);
    if (pid == null || pid.isBlank()) {
      return;
    }
    long parentPid;
    try {
      parentPid = Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      LOG.warn("ignoring {}={}: not a pid", TrainerEnv.PARENT_PID, pid);
      return;
    }
    stop.alsoOnInterrupt();
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty()) {
      parentGone(parentPid, stop);
      return;
    }
    parent.get().onExit().thenRun(() -> parentGone(parentPid, stop));
  }

  private static void parentGone(long pid, SigtermStopSignal stop) {
    stop.request("parent process " + pid + " exited");
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(GRACE.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              LOG.warn("still running {} after the parent exited; halting", GRACE);
              Runtime.getRuntime().halt(ExitCodes.PREEMPTED);
            },
            "parent-exit-halt");
    halt.setDaemon(true);
    halt.start();
  }
}
