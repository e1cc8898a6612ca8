package dev.archipelago.trainer.job;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes libtorch's intra-op thread pool to what the container may use before the engine starts:
 * left alone it takes one thread per core of the NODE, and 64 threads contending for a 4-CPU limit
 * are throttled into a fraction of the speed of 4. The operator puts the CPU limit, rounded up to
 * whole cores, into {@code OMP_NUM_THREADS}; outside a pod the JVM's processor count (which follows
 * a cgroup CPU quota) stands in.
 */
public final class IntraOpThreads {
  /** DJL's PyTorch engine reads it once, when it starts. */
  static final String PROPERTY = "ai.djl.pytorch.num_threads";

  static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";

  private static final Logger LOG = LoggerFactory.getLogger(IntraOpThreads.class);

  private IntraOpThreads() {}

  /** Sets the engine's thread count unless one is set already; returns it. */
  public static int configure(Map<String, String> env) {
    String set = System.getProperty(PROPERTY);
    if (set != null && !set.isBlank()) {
      LOG.info("libtorch intra-op threads: {} (-D{})", set.strip(), PROPERTY);
      return Integer.parseInt(set.strip());
    }
    int threads = fromEnv(env);
    String source = OMP_NUM_THREADS + ", the container's CPU limit";
    if (threads < 1) {
      threads = Runtime.getRuntime().availableProcessors();
      source = "the JVM's available processors";
    }
    System.setProperty(PROPERTY, Integer.toString(threads));
    LOG.info("libtorch intra-op threads: {} ({})", threads, source);
    return threads;
  }

  private static int fromEnv(Map<String, String> env) {
    String value = env.get(OMP_NUM_THREADS);
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      LOG.warn("ignoring {}={}: not a whole number", OMP_NUM_THREADS, value);
      return 0;
    }
  }
}
