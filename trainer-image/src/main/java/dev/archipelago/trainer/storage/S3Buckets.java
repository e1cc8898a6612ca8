package dev.archipelago.trainer.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link S3ObjectStore} per bucket of one endpoint, opened on first use and closed together: a
 * run reads its data set from one bucket and writes to another with the same credentials.
 */
public final class S3Buckets implements ObjectStores, AutoCloseable {
  private final S3Settings settings;
  private final Map<String, ObjectStore> stores = new LinkedHashMap<>();

  public S3Buckets(S3Settings settings) {
    this.settings = settings;
  }

  /**
   * @param region the bucket's region, null for the endpoint's own (an island's bucket may live in
   *     another region of the same account)
   */
  @Override
  public synchronized ObjectStore forBucket(String bucket, String region) {
    S3Settings inRegion =
        region == null || region.equals(settings.region())
            ? settings
            : new S3Settings(
                settings.endpoint(),
                region,
                settings.pathStyle(),
                settings.accessKey(),
                settings.secretKey());
    return stores.computeIfAbsent(
        bucket + "@" + inRegion.region(), b -> new S3ObjectStore(inRegion, bucket));
  }

  @Override
  public synchronized void close() {
    stores.values().forEach(ObjectStore::close);
    stores.clear();
  }
}
