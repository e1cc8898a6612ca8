package dev.archipelago.operator.run;

/**
 * Names of a run's children. A Job's name becomes its pods' {@code job-name} label, which must fit
 * 63 characters, so long run names are shortened with a hash that keeps them unique.
 */
public final class ChildNames {
  private static final int MAX = 63;

  private ChildNames() {}

  public static String configMap(String run) {
    return fit(run, "-config");
  }

  public static String networkPolicy(String run) {
    return fit(run, "-training");
  }

  public static String encodeJob(String run) {
    return fit(run, "-encode");
  }

  public static String partitionJob(String run) {
    return fit(run, "-partition");
  }

  public static String expertJob(String run, int expert, int attempt) {
    return fit(run, "-expert-" + expert + "-a" + attempt);
  }

  public static String routerJob(String run, int attempt) {
    return fit(run, "-router-a" + attempt);
  }

  public static String distillationJob(String run, int attempt) {
    return fit(run, "-distill-a" + attempt);
  }

  public static String inferenceRouter(String run) {
    return fit(run, "-serve");
  }

  public static String inferenceExpert(String run, int expert) {
    return fit(run, "-serve-expert-" + expert);
  }

  public static String service(String run) {
    return fit(run, "-serve");
  }

  static String fit(String run, String suffix) {
    if (run.length() + suffix.length() <= MAX) {
      return run + suffix;
    }
    String hash = Digests.sha256(run).substring(0, 8);
    int keep = MAX - suffix.length() - hash.length() - 1;
    return run.substring(0, keep).replaceAll("[-.]+$", "") + "-" + hash + suffix;
  }
}
