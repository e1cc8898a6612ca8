package dev.archipelago.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where WebDataset shards are read from. The local directory is the first implementation; an S3
 * prefix is the next (list the {@code *.tar} objects, stream each with a GET), which is why shards
 * are named, listed and opened here and never treated as files by the readers.
 */
public interface ShardSource {

  /** The names of the data set's {@code *.tar} shards, sorted so every reader sees one order. */
  List<String> listShards() throws IOException;

  /** A stream over the bytes of one shard; the caller closes it. */
  InputStream open(String shardName) throws IOException;

  /** Where the shards live, for logs and errors. */
  String describe();
}
