package dev.archipelago.api.contract;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every object key of a run, all under its run prefix. Who writes what:
 *
 * <ul>
 *   <li>encode (latent runs that ask for it): {@code encode/shards/<source shard>} (each source
 *       shard with a {@code .npy} latent per sample), then {@code encode/report.json}, which marks
 *       a complete encode;
 *   <li>partition: {@code partition/clusters/expert-<k>/shard-<n>.tar} (cluster k's samples as
 *       WebDataset shards), {@code partition/centroids}, {@code partition/cluster-sizes.json}
 *       ({@link ClusterSizes}) and {@code partition/report.json}; written once, shards and
 *       centroids before cluster sizes, so that cluster sizes mark a complete partition;
 *   <li>expert k: {@code experts/<k>/checkpoints/step-<n>/...}, then {@code
 *       experts/<k>/checkpoints/latest} ({@link CheckpointPointer}) once a checkpoint is complete,
 *       and {@code experts/<k>/progress.json} ({@link Progress}) as it trains;
 *   <li>router: the same under {@code router/};
 *   <li>distillation (runs that distil): the student's, the same under {@code distillation/}.
 * </ul>
 *
 * The operator only reads: cluster sizes, progress and latest pointers.
 */
public final class StorageLayout {
  private static final Pattern CHECKPOINT_STEP = Pattern.compile("/checkpoints/step-(\\d+)/");

  private final String runPrefix;

  public StorageLayout(String runPrefix) {
    Objects.requireNonNull(runPrefix, "runPrefix");
    if (!runPrefix.endsWith("/") || runPrefix.startsWith("/")) {
      throw new IllegalArgumentException(
          "runPrefix must end with '/' and not start with it: " + runPrefix);
    }
    this.runPrefix = runPrefix;
  }

  /**
   * {@code <prefix>/<namespace>/<name>/<uid>/}: the uid keeps a recreated run with the same name
   * from resuming another run's checkpoints.
   */
  public static String runPrefix(String prefix, String namespace, String name, String uid) {
    requireSegment(namespace, "namespace");
    requireSegment(name, "name");
    requireSegment(uid, "uid");
    String base = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    String run = namespace + "/" + name + "/" + uid + "/";
    return base.isEmpty() ? run : base + "/" + run;
  }

  public String runPrefix() {
    return runPrefix;
  }

  public String encodePrefix() {
    return runPrefix + "encode/";
  }

  /**
   * The encode stage's latent shards, one per source shard under the same name; the partition reads
   * these instead of spec.dataset.uri.
   */
  public String encodedShards() {
    return encodePrefix() + "shards/";
  }

  /** The encode report (the trainer's JSON); written last, so its presence marks a done encode. */
  public String encodeReport() {
    return encodePrefix() + "report.json";
  }

  public String partitionPrefix() {
    return runPrefix + "partition/";
  }

  /**
   * Where the partition task writes the shards of a generated ({@code synthetic://}) data set;
   * experts and the router read them from here.
   */
  public String generatedDataset() {
    return partitionPrefix() + "dataset/";
  }

  /**
   * Feature chunks of an unfinished partition (the trainer's format): a preempted partition resumes
   * from them instead of extracting every feature again; deleted once it completes.
   */
  public String featureChunks() {
    return partitionPrefix() + "features/";
  }

  /** Where the shards of every cluster are, one folder per cluster. */
  public String clustersPrefix() {
    return partitionPrefix() + "clusters/";
  }

  /**
   * Cluster k's samples as WebDataset shards, the only data expert k reads. A sample keeps its
   * origin in its key: {@code <source shard without .tar>/<source key>}.
   */
  public String clusterShards(int expert) {
    return clustersPrefix() + "expert-" + requireExpert(expert) + "/";
  }

  /**
   * {@link ClusterLocations}: where clusters written outside the run's prefix (to their island's
   * bucket) are; written before the cluster sizes.
   */
  public String clusterLocations() {
    return partitionPrefix() + "cluster-locations.json";
  }

  /** The cluster centroids in the trainer's format; the router and serving read them. */
  public String centroids() {
    return partitionPrefix() + "centroids";
  }

  /** {@link ClusterSizes}; its presence marks a complete partition. */
  public String clusterSizes() {
    return partitionPrefix() + "cluster-sizes.json";
  }

  /**
   * A human-readable JSON report of the partition (timings, inertia); not parsed by the operator.
   */
  public String partitionReport() {
    return partitionPrefix() + "report.json";
  }

  public String expertPrefix(int expert) {
    return runPrefix + "experts/" + requireExpert(expert) + "/";
  }

  public String expertCheckpoints(int expert) {
    return expertPrefix(expert) + "checkpoints/";
  }

  /** Directory of one checkpoint; the trainer chooses the file names inside it. */
  public String expertCheckpoint(int expert, long step) {
    return expertCheckpoints(expert) + "step-" + requireStep(step) + "/";
  }

  /** {@link CheckpointPointer} to the newest complete checkpoint. */
  public String expertLatestCheckpoint(int expert) {
    return expertCheckpoints(expert) + "latest";
  }

  /** {@link Progress} of expert k. */
  public String expertProgress(int expert) {
    return expertPrefix(expert) + "progress.json";
  }

  public String routerPrefix() {
    return runPrefix + "router/";
  }

  public String routerCheckpoints() {
    return routerPrefix() + "checkpoints/";
  }

  public String routerCheckpoint(long step) {
    return routerCheckpoints() + "step-" + requireStep(step) + "/";
  }

  public String routerLatestCheckpoint() {
    return routerCheckpoints() + "latest";
  }

  public String routerProgress() {
    return routerPrefix() + "progress.json";
  }

  public String distillationPrefix() {
    return runPrefix + "distillation/";
  }

  public String distillationCheckpoints() {
    return distillationPrefix() + "checkpoints/";
  }

  public String distillationCheckpoint(long step) {
    return distillationCheckpoints() + "step-" + requireStep(step) + "/";
  }

  public String distillationLatestCheckpoint() {
    return distillationCheckpoints() + "latest";
  }

  public String distillationProgress() {
    return distillationPrefix() + "progress.json";
  }

  /** The progress key of whoever runs a task: an expert, the router or the student. */
  public String progress(Task task) {
    return switch (task.role()) {
      case EXPERT -> expertProgress(task.expert());
      case ROUTER -> routerProgress();
      case DISTILL -> distillationProgress();
      default -> throw new IllegalArgumentException(task.role() + " reports no progress");
    };
  }

  /** The step of a key inside a checkpoint directory, if it is one. */
  public static OptionalLong checkpointStep(String key) {
    Matcher m = CHECKPOINT_STEP.matcher(key);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  private static int requireExpert(int expert) {
    if (expert < 0) {
      throw new IllegalArgumentException("expert index must be >= 0, got " + expert);
    }
    return expert;
  }

  private static long requireStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    return step;
  }

  private static void requireSegment(String value, String what) {
    if (value == null || value.isEmpty() || value.contains("/")) {
      throw new IllegalArgumentException(what + " must be a non-empty key segment: " + value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageLayout that && runPrefix.equals(that.runPrefix);
  }

  @Override
  public int hashCode() {
    return runPrefix.hashCode();
  }

  @Override
  public String toString() {
    return "StorageLayout[" + runPrefix + "]";
  }
}
