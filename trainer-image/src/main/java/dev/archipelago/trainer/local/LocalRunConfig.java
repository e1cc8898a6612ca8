package dev.archipelago.trainer.local;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.StorageLocation;
import dev.archipelago.api.spec.StorageSpec;
import dev.archipelago.trainer.job.DatasetLocation;
import dev.archipelago.trainer.job.ModelConfigs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The run config a cluster would give this manifest's pods, with what the API server and operator
 * would fill in chosen for one machine: the namespace, a uid that is a function of namespace and
 * name (so that running the same manifest again finds its checkpoints) and the storage endpoint.
 */
public final class LocalRunConfig {
  /** Bucket used when a manifest meant only for local runs leaves out spec.storage. */
  static final String DEFAULT_BUCKET = "archipelago";

  private LocalRunConfig() {}

  /**
   * @param endpoint the S3 endpoint the tasks use (the embedded server's, or {@code --s3-endpoint})
   * @param forcePathStyle true for the embedded server, which knows no virtual hosts
   */
  public static RunConfig build(
      DDMRun run, String namespace, String endpoint, boolean forcePathStyle) {
    ManifestChecks.check(run);
    String name = run.getMetadata().getName();
    run.getMetadata().setNamespace(namespace);
    run.getMetadata().setUid(stableUid(namespace, name));
    StorageSpec storage = run.getSpec().getStorage();
    if (storage == null) {
      storage = new StorageSpec();
      storage.setBucket(DEFAULT_BUCKET);
      run.getSpec().setStorage(storage);
    }
    if (storage.getBucket() == null || storage.getBucket().isBlank()) {
      throw new ManifestException("spec.storage.bucket is required");
    }
    storage.setEndpoint(endpoint);
    if (forcePathStyle) {
      storage.setPathStyle(true);
    }
    RunConfig config;
    try {
      config = RunConfig.forRun(run);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ManifestException("invalid DDMRun " + name + ": " + e.getMessage(), e);
    }
    checkDerived(config);
    return config;
  }

  /**
   * The same config with the tasks sent to {@code endpoint}: the embedded server's port is known
   * only once it runs, and a manifest is checked before anything starts.
   */
  public static RunConfig withEndpoint(RunConfig config, String endpoint) {
    StorageLocation storage = config.storage();
    return new RunConfig(
        config.schemaVersion(),
        config.runName(),
        config.namespace(),
        config.uid(),
        config.experts(),
        config.dataset(),
        config.partitioning(),
        config.model(),
        config.training(),
        config.router(),
        config.distillation(),
        config.inference(),
        new StorageLocation(
            endpoint,
            storage.bucket(),
            storage.region(),
            storage.pathStyle(),
            storage.runPrefix()));
  }

  /** {@code local-} and 12 hex digits of SHA-256 over namespace and name. */
  public static String stableUid(String namespace, String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
      return "local-" + HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** What the tasks derive from the config, checked before any of them starts. */
  private static void checkDerived(RunConfig config) {
    try {
      DatasetLocation.validate(config.dataset().getUri());
    } catch (IllegalArgumentException e) {
      throw new ManifestException("spec.dataset.uri: " + e.getMessage(), e);
    }
    try {
      ModelConfigs.expert(config);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(named("spec.model", e.getMessage()), e);
    }
    try {
      ModelConfigs.router(config);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(named("spec.router", e.getMessage()), e);
    }
  }

  /** The trainer's messages may name run-config fields ("dataset.uri ..."): add the spec. */
  private static String named(String field, String message) {
    return message != null && message.startsWith("dataset.")
        ? "spec." + message
        : field + ": " + message;
  }
}
