package dev.archipelago.operator.run.progress;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.CredentialsSecretRef;
import dev.archipelago.api.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.MinioClient;
import io.minio.credentials.AwsEnvironmentProvider;
import io.minio.credentials.ChainedProvider;
import io.minio.credentials.IamAwsProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * One MinIO client per (endpoint, region, path style, credentials). Credentials come from the run's
 * Secret, or, when the run names none, from the operator pod's own identity through the standard
 * AWS chain (environment, a web identity token file as IRSA provides, container and instance
 * metadata). They stay in memory here and are never logged or copied into status.
 */
public final class ObjectStoreClients {
  /** Short, so that one black-holed endpoint holds a poll thread for seconds, not minutes. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /** How long a Secret read is reused: polls would otherwise GET it from the API every time. */
  static final Duration SECRET_TTL = Duration.ofSeconds(60);

  private static final String[] NO_SECRET = {"", ""};

  private final KubernetesClient kubernetes;
  private final OkHttpClient http =
      new OkHttpClient.Builder()
          .connectTimeout(CONNECT_TIMEOUT)
          .readTimeout(CALL_TIMEOUT)
          .writeTimeout(CALL_TIMEOUT)
          .callTimeout(CALL_TIMEOUT)
          .build();
  private final Map<String, MinioClient> clients = new ConcurrentHashMap<>();

  /** Secrets read recently, by namespace/name, with when they were read. */
  private final Map<String, CachedSecret> secrets = new ConcurrentHashMap<>();

  /**
   * The credentials last read for each run (by uid): `kubectl delete namespace` may delete the
   * Secret before the run, whose storage clean-up still needs them.
   */
  private final Map<String, String[]> lastCredentials = new ConcurrentHashMap<>();

  private record CachedSecret(String[] credentials, Instant readAt) {}

  public ObjectStoreClients(KubernetesClient kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** Forgets a deleted run's credentials. */
  public void forget(DDMRun run) {
    lastCredentials.remove(run.getMetadata().getUid());
  }

  public MinioClient forRun(DDMRun run) {
    StorageSpec storage = run.getSpec().getStorage();
    String[] credentials = credentialsOf(run);
    boolean pathStyle = !Boolean.FALSE.equals(storage.getPathStyle());
    String key =
        storage.getEndpoint()
            + "|"
            + storage.getRegion()
            + "|"
            + pathStyle
            + "|"
            + credentials[0]
            + "|"
            + Integer.toHexString(credentials[1].hashCode());
    return clients.computeIfAbsent(key, k -> build(storage, credentials, pathStyle));
  }

  private MinioClient build(StorageSpec storage, String[] credentials, boolean pathStyle) {
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(storage.getEndpoint())
            .region(storage.getRegion())
            .httpClient(http);
    if (credentials == NO_SECRET) {
      builder.credentialsProvider(
          new ChainedProvider(new AwsEnvironmentProvider(), new IamAwsProvider(null, http)));
    } else {
      builder.credentials(credentials[0], credentials[1]);
    }
    MinioClient client = builder.build();
    if (pathStyle) {
      client.disableVirtualStyleEndpoint();
    } else {
      client.enableVirtualStyleEndpoint();
    }
    return client;
  }

  private String[] credentialsOf(DDMRun run) {
    CredentialsSecretRef ref = run.getSpec().getStorage().getCredentialsSecretRef();
    if (ref == null) {
      return NO_SECRET;
    }
    String uid = run.getMetadata().getUid();
    try {
      String[] credentials = credentials(run.getMetadata().getNamespace(), ref);
      if (uid != null) {
        lastCredentials.put(uid, credentials);
      }
      return credentials;
    } catch (IllegalStateException missing) {
      String[] known = uid == null ? null : lastCredentials.get(uid);
      if (known == null || !run.isMarkedForDeletion()) {
        throw missing;
      }
      return known;
    }
  }

  private String[] credentials(String namespace, CredentialsSecretRef ref) {
    String id = namespace + "/" + ref.getName();
    CachedSecret cached = secrets.get(id);
    if (cached != null && cached.readAt().plus(SECRET_TTL).isAfter(Instant.now())) {
      return cached.credentials();
    }
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      secrets.remove(id);
      throw new IllegalStateException(
          "spec.storage.credentialsSecretRef: Secret " + id + " not found");
    }
    String[] credentials = {
      value(secret, ref.getAccessKeyIdKey(), ref.getName()),
      value(secret, ref.getSecretAccessKeyKey(), ref.getName())
    };
    secrets.put(id, new CachedSecret(credentials, Instant.now()));
    return credentials;
  }

  private static String value(Secret secret, String key, String name) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    if (secret.getData() == null || !secret.getData().containsKey(key)) {
      throw new IllegalStateException(
          "spec.storage.credentialsSecretRef: Secret " + name + " has no key " + key);
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
