package dev.archipelago.trainer.storage;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.UploadObjectArgs;
import io.minio.credentials.AwsEnvironmentProvider;
import io.minio.credentials.ChainedProvider;
import io.minio.credentials.IamAwsProvider;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ObjectStore} over one bucket of an S3-compatible server, with minio-java. */
public final class S3ObjectStore implements ObjectStore {
  private static final Set<String> MISSING_CODES = Set.of("NoSuchKey", "NoSuchObject");

  private final MinioClient client;
  private final String bucket;
  private final String endpoint;

  public S3ObjectStore(S3Settings settings, String bucket) {
    MinioClient.Builder builder =
        MinioClient.builder().endpoint(settings.endpoint()).region(settings.region());
    if (settings.accessKey() != null && settings.secretKey() != null) {
      builder.credentials(settings.accessKey(), settings.secretKey());
    } else {
      // No keys from a Secret: the pod's own identity, through the standard AWS chain (a web
      // identity token file as IRSA mounts it, container or instance metadata).
      builder.credentialsProvider(
          new ChainedProvider(new AwsEnvironmentProvider(), new IamAwsProvider(null, null)));
    }
    this.client = builder.build();
    if (settings.pathStyle()) {
      client.disableVirtualStyleEndpoint();
    } else {
      client.enableVirtualStyleEndpoint();
    }
    this.bucket = bucket;
    this.endpoint = settings.endpoint();
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    call(
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(
                        new ByteArrayInputStream(bytes), bytes.length, -1)
                    .build()));
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    call(
        key,
        () ->
            client.uploadObject(
                UploadObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .filename(file.toString())
                    .build()));
  }

  @Override
  public InputStream open(String key) throws IOException {
    return call(
        key, () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
  }

  @Override
  public Optional<byte[]> read(String key) throws IOException {
    try (InputStream in = open(key)) {
      return Optional.of(in.readAllBytes());
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    List<StoredObject> objects = new ArrayList<>();
    Iterable<Result<Item>> results =
        client.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build());
    for (Result<Item> result : results) {
      Item item = call(prefix, result::get);
      // Filesystem-backed servers list directory markers (size-0 "dir/" keys): not objects.
      if (!item.isDir() && !item.objectName().endsWith("/")) {
        objects.add(new StoredObject(item.objectName(), item.size()));
      }
    }
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  @Override
  public void delete(String key) throws IOException {
    call(
        key,
        () -> {
          client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
          return null;
        });
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/ at " + endpoint;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      // Closing only releases the HTTP connection pool; nothing to recover.
    }
  }

  private interface S3Call<T> {
    T run() throws MinioException, IOException, GeneralSecurityException;
  }

  /** Runs one minio call, turning its checked exceptions into IOExceptions that name the key. */
  private <T> T call(String key, S3Call<T> operation) throws IOException {
    try {
      return operation.run();
    } catch (ErrorResponseException e) {
      if (MISSING_CODES.contains(e.errorResponse().code())) {
        throw new NoSuchObjectException("s3://" + bucket + "/" + key);
      }
      throw new IOException("S3 error on s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    } catch (MinioException | GeneralSecurityException e) {
      throw new IOException("S3 error on s3://" + bucket + "/" + key + ": " + e, e);
    }
  }
}
