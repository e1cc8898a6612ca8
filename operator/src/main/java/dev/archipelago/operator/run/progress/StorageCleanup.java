package dev.archipelago.operator.run.progress;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.StorageLocation;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
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

  /** Returns the number of objects deleted; throws if any could not be. */
  public int deleteRunPrefix(DDMRun run) throws Exception {
    StorageLocation location =
        StorageLocation.of(
            run.getSpec().getStorage(),
            run.getMetadata().getNamespace(),
            run.getMetadata().getName(),
            run.getMetadata().getUid());
    MinioClient s3 = clients.forRun(run);
    List<DeleteObject> keys = new ArrayList<>();
    for (Result<Item> r :
        s3.listObjects(
            ListObjectsArgs.builder()
                .bucket(location.bucket())
                .prefix(location.runPrefix())
                .recursive(true)
                .build())) {
      keys.add(new DeleteObject(r.get().objectName()));
    }
    for (Result<DeleteError> error :
        s3.removeObjects(
            RemoveObjectsArgs.builder().bucket(location.bucket()).objects(keys).build())) {
      DeleteError e = error.get();
      throw new IllegalStateException("cannot delete " + e.objectName() + ": " + e.message());
    }
    return keys.size();
  }
}
