package dev.archipelago.api.status;

/**
 * Condition types in the kstatus convention, so that generic tools (kubectl wait, Argo CD, Flux)
 * understand a run's health without knowing Archipelago.
 */
public final class ConditionType {
  /** True when the run is serving (or has succeeded) and every member is ready. */
  public static final String READY = "Ready";

  /** True while the operator is still moving the object towards its spec. */
  public static final String RECONCILING = "Reconciling";

  /** True when progress is impossible without a change by the user; the message says why. */
  public static final String STALLED = "Stalled";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private ConditionType() {}
}
