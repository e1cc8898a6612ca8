package dev.archipelago.trainer.storage;

import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.StorageLocation;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach an S3-compatible store: endpoint, region, addressing style and credentials. The
 * credentials always come from the environment ({@link PodEnv#ACCESS_KEY_ID}, {@link
 * PodEnv#SECRET_ACCESS_KEY}), never from the run config.
 */
public record S3Settings(
    String endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
  public static final String DEFAULT_REGION = "us-east-1";

  /** Environment variable naming the endpoint for commands run outside a pod. */
  public static final String ENDPOINT_ENV = "ARCHIPELAGO_S3_ENDPOINT";

  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
  }

  /** The run's storage section plus credentials from {@code env}. */
  public static S3Settings forRun(StorageLocation storage, Map<String, String> env) {
    return new S3Settings(
        storage.endpoint(),
        storage.region(),
        storage.pathStyle(),
        env.get(PodEnv.ACCESS_KEY_ID),
        env.get(PodEnv.SECRET_ACCESS_KEY));
  }

  /**
   * For commands such as {@code generate-dataset --output s3://...} run by hand: the endpoint from
   * {@value #ENDPOINT_ENV} (or the option that overrides it), path-style addressing.
   */
  public static S3Settings fromEnv(String endpointOverride, Map<String, String> env) {
    String endpoint = endpointOverride != null ? endpointOverride : env.get(ENDPOINT_ENV);
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException(
          "no S3 endpoint: pass --s3-endpoint or set " + ENDPOINT_ENV);
    }
    return new S3Settings(
        endpoint,
        DEFAULT_REGION,
        true,
        env.get(PodEnv.ACCESS_KEY_ID),
        env.get(PodEnv.SECRET_ACCESS_KEY));
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "S3Settings[" + endpoint + ", " + region + (pathStyle ? ", path-style]" : "]");
  }
}
