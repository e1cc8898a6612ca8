package dev.archipelago.trainer.storage;

/** Opens an {@link ObjectStore} on a bucket of the run's S3 endpoint (with its credentials). */
@FunctionalInterface
public interface ObjectStores {
  /**
   * @param region the bucket's region when it is not the run's (an island's bucket), else null
   */
  ObjectStore forBucket(String bucket, String region);

  default ObjectStore forBucket(String bucket) {
    return forBucket(bucket, null);
  }
}
