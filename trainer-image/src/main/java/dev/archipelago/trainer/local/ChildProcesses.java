package dev.archipelago.trainer.local;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child processes alive right now, so that a failure or Ctrl-C can stop them all. Once stopping
 * has begun no new child starts: a task that was about to start is simply not run.
 */
final class ChildProcesses {
  /** A live child; {@code checkpoints} when SIGTERM makes it save its work before exiting. */
  private record Child(String name, Process process, boolean checkpoints) {}

  private final List<Child> live = new ArrayList<>();
  private boolean stopping;

  /** Starts {@code builder}, or returns null when stopping has begun. */
  synchronized Process start(String name, ProcessBuilder builder, boolean checkpoints)
      throws IOException {
    if (stopping) {
      return null;
    }
    Process process = builder.start();
    Child child = new Child(name, process, checkpoints);
    live.add(child);
    process.onExit().thenRun(() -> remove(child));
    return process;
  }

  synchronized boolean stopping() {
    return stopping;
  }

  synchronized int size() {
    return live.size();
  }

  /**
   * Sends SIGTERM to the children that checkpoint on it (and kills the others, which have nothing
   * to save), waits up to {@code grace} for them, then kills what is left.
   */
  void stopAll(Duration grace) {
    List<Child> children;
    synchronized (this) {
      stopping = true;
      children = List.copyOf(live);
    }
    for (Child child : children) {
      if (child.checkpoints()) {
        child.process().destroy();
      } else {
        child.process().destroyForcibly();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Child child : children) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        child.process().onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        child.process().destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.process().destroyForcibly();
      }
    }
  }

  private synchronized void remove(Child child) {
    live.remove(child);
  }

  /** Names of the live children, for messages. */
  synchronized List<String> names() {
    List<String> names = new ArrayList<>();
    live.forEach(c -> names.add(c.name()));
    return names;
  }
}
