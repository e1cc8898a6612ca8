package dev.archipelago.api;

/** Names that identify the Archipelago API on the cluster. */
public final class ArchipelagoApi {
  public static final String GROUP = "archipelago.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String DDM_RUN_KIND = "DDMRun";
  public static final String DDM_RUN_PLURAL = "ddmruns";
  public static final String DDM_RUN_SHORT_NAME = "ddm";
  public static final String COMPUTE_ISLAND_KIND = "ComputeIsland";
  public static final String COMPUTE_ISLAND_PLURAL = "computeislands";
  public static final String COMPUTE_ISLAND_SHORT_NAME = "island";

  /**
   * Present on a run whose {@code spec.storage.deletionPolicy} is Delete until its prefix is gone.
   */
  public static final String STORAGE_CLEANUP_FINALIZER = GROUP + "/storage-cleanup";

  /** The extended resource a ComputeIsland requests when it names none. */
  public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";

  private ArchipelagoApi() {}
}
