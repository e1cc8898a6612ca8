package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    parentExit(env)
        .ifPresent(
            exit -> {
              stop.alsoOnInterrupt();
              exit.thenRun(
                  () -> {
                    stop.request("parent process " + env.get(TrainerEnv.PARENT_PID) + " exited");
                    haltAfter(GRACE);
                  });
            });
  }

  /**
   * Completes when the parent named in {@code env} exits (at once if it is gone already); empty
   * when no parent is named.
   */
  static Optional<CompletableFuture<?>> parentExit(Map<String, String> env) {
    String pid = env.get(TrainerEnv.PARENT_PID);
    if (pid == null || pid.isBlank()) {
      return Optional.empty();
    }
    long parentPid;
    try {
      parentPid = Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      LOG.warn("ignoring {}={}: not a pid", TrainerEnv.PARENT_PID, pid);
      return Optional.empty();
    }
    return Optional.of(
        ProcessHandle.of(parentPid)
            .<CompletableFuture<?>>map(ProcessHandle::onExit)
            .orElseGet(() -> CompletableFuture.completedFuture(null)));
  }

  private static void haltAfter(Duration grace) {
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(grace.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              LOG.warn("still running {} after the parent exited; halting", grace);
              Runtime.getRuntime().halt(ExitCodes.PREEMPTED);
            },
            "parent-exit-halt");
    halt.setDaemon(true);
    halt.start();
  }
}
