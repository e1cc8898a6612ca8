package dev.archipelago.api.contract;

import dev.archipelago.api.spec.StorageSpec;
import java.util.Objects;

/**
 * Where a run's objects live, without credentials: pods get those from env vars (see {@link
 * PodEnv}), so the run config can sit in a ConfigMap.
 */
public record StorageLocation(
    String endpoint, String bucket, String region, boolean pathStyle, String runPrefix) {

  public StorageLocation {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(region, "region");
    if (runPrefix == null || !runPrefix.endsWith("/") || runPrefix.startsWith("/")) {
      throw new IllegalArgumentException(
          "runPrefix must end with '/' and not start with it: " + runPrefix);
    }
  }

  /** The location of one run, from its (defaulted) storage spec and identity. */
  public static StorageLocation of(StorageSpec spec, String namespace, String name, String uid) {
    return new StorageLocation(
        spec.getEndpoint(),
        spec.getBucket(),
        spec.getRegion(),
        !Boolean.FALSE.equals(spec.getPathStyle()),
        StorageLayout.runPrefix(spec.getPrefix(), namespace, name, uid));
  }

  public StorageLayout layout() {
    return new StorageLayout(runPrefix);
  }
}
