package dev.archipelago.trainer.storage;

import java.util.Map;

/**
 * The shared embedded S3 server (S3Proxy on loopback, see archipelago-test-fixtures), with what
 * trainer tests need on top: its credentials as a pod's environment and as {@link S3Settings}.
 */
public final class EmbeddedS3 implements AutoCloseable {
  public static final String ACCESS_KEY = dev.archipelago.testfixtures.EmbeddedS3.ACCESS_KEY;
  public static final String SECRET_KEY = dev.archipelago.testfixtures.EmbeddedS3.SECRET_KEY;

  private final dev.archipelago.testfixtures.EmbeddedS3 server;

  public EmbeddedS3() throws Exception {
    server = new dev.archipelago.testfixtures.EmbeddedS3();
  }

  public String endpoint() {
    return server.endpoint();
  }

  /** The environment a pod would have: the two credential variables. */
  public Map<String, String> credentials() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  public S3Settings settings() {
    return new S3Settings(endpoint(), S3Settings.DEFAULT_REGION, true, ACCESS_KEY, SECRET_KEY);
  }

  public void createBucket(String bucket) throws Exception {
    server.createBucket(bucket);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
