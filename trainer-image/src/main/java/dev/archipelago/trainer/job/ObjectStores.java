package dev.archipelago.trainer.job;

import dev.archipelago.trainer.storage.ObjectStore;

/** Opens an {@link ObjectStore} on a bucket of the run's S3 endpoint (with its credentials). */
@FunctionalInterface
public interface ObjectStores {
  ObjectStore forBucket(String bucket);
}
