package dev.archipelago.trainer.storage;

import java.util.Objects;

/**
 * An {@code s3://bucket/prefix/} address. The prefix is empty or ends with '/', so that it can be
 * joined with a file name.
 */
public record S3Uri(String bucket, String prefix) {
  public static final String SCHEME = "s3://";

  public S3Uri {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    if (bucket.isEmpty() || bucket.contains("/")) {
      throw new IllegalArgumentException("not a bucket name: '" + bucket + "'");
    }
  }

  public static boolean isS3(String uri) {
    return uri != null && uri.startsWith(SCHEME);
  }

  /** Parses {@code s3://bucket[/prefix]}; a prefix gains a trailing '/' if it lacks one. */
  public static S3Uri parse(String uri) {
    if (!isS3(uri)) {
      throw new IllegalArgumentException("not an s3:// URI: " + uri);
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return new S3Uri(rest, "");
    }
    String prefix = rest.substring(slash + 1).replaceAll("^/+", "");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    return new S3Uri(rest.substring(0, slash), prefix);
  }

  /** {@code s3://bucket/key} of one object: no trailing slash is added. */
  public static S3Uri parseObject(String uri) {
    S3Uri parsed = parse(uri);
    String raw = uri.substring(SCHEME.length() + parsed.bucket().length()).replaceAll("^/+", "");
    if (raw.isEmpty() || raw.endsWith("/")) {
      throw new IllegalArgumentException("not an object URI (s3://bucket/key): " + uri);
    }
    return new S3Uri(parsed.bucket(), raw);
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + prefix;
  }
}
