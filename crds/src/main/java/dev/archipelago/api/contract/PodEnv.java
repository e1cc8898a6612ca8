package dev.archipelago.api.contract;

/**
 * Environment variables and paths the operator gives every trainer pod. The run config is a file
 * from a ConfigMap shared by all pods of a run; what differs per pod (role, expert, attempt) comes
 * as env vars, so that a retry never touches what other experts see.
 */
public final class PodEnv {
  /** Path of the mounted run config JSON (see {@link RunConfig}). */
  public static final String RUN_CONFIG_FILE = "ARCHIPELAGO_RUN_CONFIG";

  /** {@link Role#label()} of the pod. */
  public static final String ROLE = "ARCHIPELAGO_ROLE";

  /** Expert index, for role expert (and distributed serving of one expert). */
  public static final String EXPERT = "ARCHIPELAGO_EXPERT";

  /** Attempt number from 1; above 1 the trainer must resume from the latest checkpoint. */
  public static final String ATTEMPT = "ARCHIPELAGO_ATTEMPT";

  /**
   * GPUs the pod's container was given (its resource limit; 0 for CPU tasks). A trainer given GPUs
   * whose engine sees none refuses to train on the CPU and exits with {@link ExitCodes#BAD_CONFIG}.
   * Absent (as in {@code archipelago local run}): no GPU is required.
   */
  public static final String GPUS = "ARCHIPELAGO_GPUS";

  /**
   * The partition's only: {@link ClusterLocations} as JSON, where to write the clusters of experts
   * whose island names a bucket of its own; unset, every cluster goes under the run's prefix.
   */
  public static final String CLUSTER_LOCATIONS = "ARCHIPELAGO_CLUSTER_LOCATIONS";

  /** A writable directory (an emptyDir: the root filesystem is read-only). */
  public static final String SCRATCH_DIR = "ARCHIPELAGO_SCRATCH_DIR";

  /** S3 credentials, taken by the pod spec straight from the run's Secret. */
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";

  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  /** Key of the run config in the run's ConfigMap. */
  public static final String CONFIG_MAP_KEY = "run-config.json";

  /** Where the operator mounts the ConfigMap and the emptyDir. */
  public static final String CONFIG_DIR = "/etc/archipelago";

  public static final String RUN_CONFIG_PATH = CONFIG_DIR + "/" + CONFIG_MAP_KEY;
  public static final String SCRATCH_PATH = "/scratch";

  private PodEnv() {}
}
