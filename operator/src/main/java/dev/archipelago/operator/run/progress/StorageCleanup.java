package dev.archipelago.operator.run.progress;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.StorageLocation;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every object under a run's prefix; used only when spec.storage.deletionPolicy is Delete.
 */
public final class StorageCleanup {
  private final ObjectStoreClients clients;

  public StorageCleanup(ObjectStoreClients clients) {
    this.clients = clients;
  }

  /** Drops what was kept in memory for a run that is gone. */
  public void forget(DDMRun run) {
    clients.forget(run);
  }

  /**
   * Deletes the run's prefix and the cluster shards the partition wrote to islands' buckets ({@code
   * partition/cluster-locations.json}, read first). Returns the number of objects deleted; throws
   * if any could not be.
   */
  public int deleteRunPrefix(DDMRun run) throws Exception {
    StorageLocation location =
        StorageLocation.of(
            run.getSpec().getStorage(),
            run.getMetadata().getNamespace(),
            run.getMetadata().getName(),
            run.getMetadata().getUid());
    MinioClient s3 = clients.forRun(run);
    int deleted = 0;
    for (ClusterLocations.Location cluster : clusterLocations(s3, location).clusters()) {
      deleted += deletePrefix(s3, cluster.bucket(), cluster.region(), cluster.prefix());
    }
    return deleted + deletePrefix(s3, location.bucket(), null, location.runPrefix());
  }

  private static ClusterLocations clusterLocations(MinioClient s3, StorageLocation location)
      throws Exception {
    String key = location.layout().clusterLocations();
    try (GetObjectResponse in =
        s3.getObject(GetObjectArgs.builder().bucket(location.bucket()).object(key).build())) {
      return ContractJson.read(in.readAllBytes(), ClusterLocations.class);
    } catch (ErrorResponseException e) {
      if ("NoSuchKey".equals(e.errorResponse().code())
          || "NoSuchBucket".equals(e.errorResponse().code())) {
        return new ClusterLocations(List.of());
      }
      throw e;
    }
  }

  private static int deletePrefix(MinioClient s3, String bucket, String region, String prefix)
      throws Exception {
    List<DeleteObject> keys = new ArrayList<>();
    for (Result<Item> r :
        s3.listObjects(
            ListObjectsArgs.builder()
                .bucket(bucket)
                .region(region)
                .prefix(prefix)
                .recursive(true)
                .build())) {
      keys.add(new DeleteObject(r.get().objectName()));
    }
    for (Result<DeleteError> error :
        s3.removeObjects(
            RemoveObjectsArgs.builder().bucket(bucket).region(region).objects(keys).build())) {
      DeleteError e = error.get();
      throw new IllegalStateException(
          "cannot delete " + bucket + "/" + e.objectName() + ": " + e.message());
    }
    return keys.size();
  }
}
