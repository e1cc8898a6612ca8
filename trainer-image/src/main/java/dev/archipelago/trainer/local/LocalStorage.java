package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The object store of a local run: the embedded server over the work dir, or an existing S3
 * endpoint ({@code --s3-endpoint}) with the credentials of the caller's environment.
 */
final class LocalStorage implements AutoCloseable {
  private final EmbeddedS3Server server;
  private final String endpoint;
  private final S3Credentials credentials;
  private S3Buckets buckets;

  private LocalStorage(EmbeddedS3Server server, String endpoint, S3Credentials credentials) {
    this.server = server;
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  static LocalStorage embedded(Path directory) throws IOException {
    EmbeddedS3Server server = EmbeddedS3Server.start(directory);
    return new LocalStorage(server, server.endpoint(), S3Credentials.embedded());
  }

  static LocalStorage external(String endpoint, Map<String, String> env) {
    return new LocalStorage(null, endpoint, S3Credentials.fromEnv(env));
  }

  String endpoint() {
    return endpoint;
  }

  boolean isEmbedded() {
    return server != null;
  }

  S3Credentials credentials() {
    return credentials;
  }

  /** The run's bucket, created first on the embedded server. */
  ObjectStore runStore(RunConfig config) {
    if (server != null) {
      server.createBucket(config.storage().bucket());
    }
    if (buckets == null) {
      Map<String, String> env = new HashMap<>();
      credentials.addTo(env);
      buckets = new S3Buckets(S3Settings.forRun(config.storage(), env));
    }
    return buckets.forBucket(config.storage().bucket());
  }

  @Override
  public void close() throws Exception {
    if (buckets != null) {
      buckets.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
