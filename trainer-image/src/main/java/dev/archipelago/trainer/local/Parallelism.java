package dev.archipelago.trainer.local;

/**
 * How many training processes run at once and how many PyTorch threads each gets. By default one
 * process per core (never more than there are experts), and the cores are shared evenly: small
 * models scale poorly over intra-op threads, so on 2 cores two experts of one thread each finished
 * about 30 % sooner than one at a time with two threads.
 *
 * @param processes tasks running at once
 * @param threadsPerProcess intra-op threads of each (PyTorch and OpenMP)
 */
public record Parallelism(int processes, int threadsPerProcess) {
  public Parallelism {
    if (processes < 1 || threadsPerProcess < 1) {
      throw new IllegalArgumentException("processes and threads must be ≥ 1");
    }
  }

  /**
   * @param experts the run's expert count
   * @param cores available processors
   * @param requested {@code --parallel}, or null for the default
   */
  public static Parallelism of(int experts, int cores, Integer requested) {
    if (requested != null && requested < 1) {
      throw new IllegalArgumentException("--parallel must be ≥ 1, got " + requested);
    }
    int processes = requested != null ? requested : Math.max(1, Math.min(experts, cores));
    return new Parallelism(processes, Math.max(1, cores / processes));
  }

  /** Threads of a task that runs alone (the partition, the server). */
  public static int alone(int cores) {
    return Math.max(1, cores);
  }
}
