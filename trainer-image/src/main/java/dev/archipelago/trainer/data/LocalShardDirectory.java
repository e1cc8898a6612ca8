package dev.archipelago.trainer.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shards as {@code *.tar} files directly inside one local directory. */
public final class LocalShardDirectory implements ShardSource, ShardSink {
  private static final String SHARD_SUFFIX = ".tar";
  private static final String PARTIAL_SUFFIX = ".partial";

  private final Path directory;

  public LocalShardDirectory(Path directory) {
    this.directory = directory;
  }

  @Override
  public List<String> listShards() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(SHARD_SUFFIX))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Override
  public InputStream open(String shardName) throws IOException {
    return new BufferedInputStream(Files.newInputStream(resolve(shardName)), 1 << 16);
  }

  @Override
  public OutputStream create(String shardName) throws IOException {
    Files.createDirectories(directory);
    Path target = resolve(shardName);
    // Write beside the target and rename on close, so a reader never lists a half-written shard.
    Path partial = target.resolveSibling(shardName + PARTIAL_SUFFIX);
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
    return new FilterOutputStream(out) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        super.close();
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
    };
  }

  @Override
  public String describe() {
    return directory.toString();
  }

  private Path resolve(String shardName) {
    if (shardName.contains("/") || shardName.contains("\\") || shardName.startsWith(".")) {
      throw new IllegalArgumentException("not a plain shard name: " + shardName);
    }
    return directory.resolve(shardName);
  }
}
