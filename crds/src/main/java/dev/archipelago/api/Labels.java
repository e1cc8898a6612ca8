package dev.archipelago.api;

/**
 * Labels the operator puts on every child object, so that one selector finds all the objects of a
 * run, an expert or an attempt.
 */
public final class Labels {
  private static final String PREFIX = ArchipelagoApi.GROUP + "/";

  /** The owning DDMRun's name. */
  public static final String RUN = PREFIX + "run";

  /** What the pod does: one of the contract's {@code Role} values, lower case. */
  public static final String ROLE = PREFIX + "role";

  /** The expert index, for expert pods only. */
  public static final String EXPERT = PREFIX + "expert";

  /** The attempt number, starting at 1; a retry gets a new Job with the next attempt. */
  public static final String ATTEMPT = PREFIX + "attempt";

  /** The ComputeIsland a pod was placed on. */
  public static final String ISLAND = PREFIX + "island";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "archipelago-operator";

  private Labels() {}
}
