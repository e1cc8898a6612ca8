package dev.archipelago.trainer.job;

import dev.archipelago.trainer.storage.ObjectStores;
import dev.archipelago.trainer.storage.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Fetches a model file a run names (a TorchScript encoder or decoder) to local scratch: {@code
 * s3://bucket/key} through the run's stores, or {@code file:///path} for a local run.
 */
public final class ModelFiles {
  private static final String FILE = "file://";

  private ModelFiles() {}

  /** Refuses a URI that names no object, saying which. */
  public static void validate(String uri, String field) {
    if (uri == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (uri.startsWith(FILE)) {
      Path.of(URI.create(uri));
    } else {
      S3Uri.parseObject(uri);
    }
  }

  public static Path fetch(ObjectStores stores, String uri, Path scratch, String prefix)
      throws IOException {
    Path local = Files.createTempFile(scratch, prefix, ".pt");
    if (uri.startsWith(FILE)) {
      Path source = Path.of(URI.create(uri));
      if (!Files.isRegularFile(source)) {
        throw new IOException(uri + ": no such file");
      }
      Files.copy(source, local, StandardCopyOption.REPLACE_EXISTING);
      return local;
    }
    S3Uri object = S3Uri.parseObject(uri);
    try (InputStream in = stores.forBucket(object.bucket()).open(object.prefix())) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    }
    return local;
  }
}
