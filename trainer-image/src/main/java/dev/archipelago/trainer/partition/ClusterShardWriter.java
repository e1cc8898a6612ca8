package dev.archipelago.trainer.partition;

import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.WebDatasetKeys;
import dev.archipelago.trainer.data.WebDatasetShardWriter;
import dev.archipelago.trainer.storage.StoredObject;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes each cluster's samples into its own WebDataset shards ({@link
 * StorageLayout#clusterShards}, or the bucket of the island its expert is placed on), so that an
 * expert reads its cluster and nothing else. A shard is written to local scratch and uploaded whole
 * once it reaches the target size (so heap stays bounded and readers never see a partial shard).
 * Every part of a sample is copied as it was (for a latent data set, every part but the images,
 * which its trainers never read); its key becomes {@code <source shard stem>/<source key>}, unique
 * and traceable to its origin.
 */
final class ClusterShardWriter implements Closeable {
  /** Large enough for streaming reads, small enough that a trainer holds a few groups of them. */
  static final long DEFAULT_SHARD_BYTES = 64L << 20;

  private final List<ClusterDestination> destinations;
  private final Path scratch;
  private final long shardBytes;
  private final boolean dropImages;
  private final Open[] open;
  private final int[] shardsWritten;
  private final long[] bytesWritten;

  /** One cluster's shard being written. */
  private record Open(Path file, OutputStream out, WebDatasetShardWriter writer) {}

  /**
   * Starts from empty cluster folders: an earlier, interrupted attempt's shards are deleted.
   *
   * @param destinations where each cluster's shards go, indexed by cluster
   */
  ClusterShardWriter(
      List<ClusterDestination> destinations, Path scratch, long shardBytes, boolean dropImages)
      throws IOException {
    this.dropImages = dropImages;
    this.destinations = List.copyOf(destinations);
    this.scratch = scratch;
    this.shardBytes = shardBytes;
    int clusters = destinations.size();
    this.open = new Open[clusters];
    this.shardsWritten = new int[clusters];
    this.bytesWritten = new long[clusters];
    for (ClusterDestination destination : destinations) {
      for (StoredObject stale : destination.store().list(destination.prefix())) {
        destination.store().delete(stale.key());
      }
    }
  }

  void add(int cluster, RawSample raw) throws IOException {
    if (open[cluster] == null) {
      Path file = Files.createTempFile(scratch, "cluster-" + cluster + "-", ".tar");
      OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      open[cluster] = new Open(file, out, new WebDatasetShardWriter(out));
    }
    open[cluster]
        .writer()
        .write(newKey(raw), dropImages ? WebDatasetKeys.withoutImages(raw.parts()) : raw.parts());
    if (open[cluster].writer().bytesWritten() >= shardBytes) {
      publish(cluster);
    }
  }

  /** Bytes of each cluster's published shards. */
  long[] bytes() {
    return bytesWritten.clone();
  }

  @Override
  public void close() throws IOException {
    for (int k = 0; k < open.length; k++) {
      if (open[k] != null) {
        publish(k);
      }
    }
  }

  private void publish(int cluster) throws IOException {
    Open shard = open[cluster];
    open[cluster] = null;
    shard.writer().close();
    shard.out().close();
    ClusterDestination destination = destinations.get(cluster);
    String key = destination.prefix() + String.format("shard-%06d.tar", shardsWritten[cluster]);
    try {
      destination.store().upload(key, shard.file());
      bytesWritten[cluster] += Files.size(shard.file());
      shardsWritten[cluster]++;
    } finally {
      Files.deleteIfExists(shard.file());
    }
  }

  private static String newKey(RawSample raw) {
    String shard = raw.shard();
    String stem = shard.endsWith(".tar") ? shard.substring(0, shard.length() - 4) : shard;
    return stem + "/" + raw.key();
  }
}
