package dev.archipelago.trainer.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link S3ObjectStore} per bucket of one endpoint, opened on first use and closed together: a
 * run reads its data set from one bucket and writes to another with the same credentials.
 */
public final class S3Buckets implements AutoCloseable {
  private final S3Settings settings;
  private final Map<String, ObjectStore> stores = new LinkedHashMap<>();

  public S3Buckets(S3Settings settings) {
    this.settings = settings;
  }

  public synchronized ObjectStore forBucket(String bucket) {
    return stores.computeIfAbsent(bucket, b -> new S3ObjectStore(settings, b));
  }

  @Override
  public synchronized void close() {
    stores.values().forEach(ObjectStore::close);
    stores.clear();
  }
}
