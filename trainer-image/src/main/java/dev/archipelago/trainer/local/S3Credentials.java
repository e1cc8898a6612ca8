package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.PodEnv;
import java.util.Map;

/** The access key the tasks get in their environment, as a pod gets its run's Secret. */
public record S3Credentials(String accessKey, String secretKey) {

  /** The embedded server's fixed key. */
  public static S3Credentials embedded() {
    return new S3Credentials(EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
  }

  /** From {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}, possibly unset. */
  public static S3Credentials fromEnv(Map<String, String> env) {
    return new S3Credentials(env.get(PodEnv.ACCESS_KEY_ID), env.get(PodEnv.SECRET_ACCESS_KEY));
  }

  /** Adds the two variables that are set to {@code env}. */
  public void addTo(Map<String, String> env) {
    if (accessKey != null) {
      env.put(PodEnv.ACCESS_KEY_ID, accessKey);
    }
    if (secretKey != null) {
      env.put(PodEnv.SECRET_ACCESS_KEY, secretKey);
    }
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "S3Credentials[" + accessKey + "]";
  }
}
