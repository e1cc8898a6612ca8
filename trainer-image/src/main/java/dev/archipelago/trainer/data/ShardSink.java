package dev.archipelago.trainer.data;

import java.io.IOException;
import java.io.OutputStream;

/** Where WebDataset shards are written. A shard becomes visible to readers only once closed. */
public interface ShardSink {

  /** A stream that writes the shard {@code shardName}; closing it publishes the shard. */
  OutputStream create(String shardName) throws IOException;

  /** Where the shards go, for logs and errors. */
  String describe();
}
