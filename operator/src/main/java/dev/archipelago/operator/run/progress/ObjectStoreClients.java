package dev.archipelago.operator.run.progress;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.CredentialsSecretRef;
import dev.archipelago.api.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.MinioClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One MinIO client per (endpoint, region, credentials), built from the run's credentials Secret.
 * The credentials stay in memory here and are never logged or copied into status.
 */
public final class ObjectStoreClients {
  private final KubernetesClient kubernetes;
  private final Map<String, MinioClient> clients = new ConcurrentHashMap<>();

  /**
   * The credentials last read for each run (by uid): `kubectl delete namespace` may delete the
   * Secret before the run, whose storage clean-up still needs them.
   */
  private final Map<String, String[]> lastCredentials = new ConcurrentHashMap<>();

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
    String key =
        storage.getEndpoint()
            + "|"
            + storage.getRegion()
            + "|"
            + credentials[0]
            + "|"
            + Integer.toHexString(credentials[1].hashCode());
    return clients.computeIfAbsent(
        key,
        k ->
            MinioClient.builder()
                .endpoint(storage.getEndpoint())
                .region(storage.getRegion())
                .credentials(credentials[0], credentials[1])
                .build());
  }

  private String[] credentialsOf(DDMRun run) {
    String uid = run.getMetadata().getUid();
    try {
      String[] credentials =
          credentials(run.getMetadata().getNamespace(), run.getSpec().getStorage());
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

  private String[] credentials(String namespace, StorageSpec storage) {
    CredentialsSecretRef ref = storage.getCredentialsSecretRef();
    if (ref == null) {
      return new String[] {"", ""};
    }
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      throw new IllegalStateException(
          "spec.storage.credentialsSecretRef: Secret "
              + namespace
              + "/"
              + ref.getName()
              + " not found");
    }
    return new String[] {
      value(secret, ref.getAccessKeyIdKey(), ref.getName()),
      value(secret, ref.getSecretAccessKeyKey(), ref.getName())
    };
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
