package dev.archipelago.trainer.data;

/**
 * The WebDataset naming rule: in {@code dir/abc.seg.png} the key is {@code dir/abc} (everything
 * before the first dot of the last path segment) and the extension is {@code seg.png}.
 */
public final class WebDatasetKeys {
  private WebDatasetKeys() {}

  /** The sample key of a tar entry name. */
  public static String key(String entryName) {
    int dot = firstDotOfBaseName(entryName);
    return dot < 0 ? entryName : entryName.substring(0, dot);
  }

  /** The extension of a tar entry name, lower-cased; empty when there is none. */
  public static String extension(String entryName) {
    int dot = firstDotOfBaseName(entryName);
    return dot < 0 ? "" : entryName.substring(dot + 1).toLowerCase();
  }

  static void requireValidKey(String key) {
    int slash = key.lastIndexOf('/');
    if (key.isEmpty() || key.indexOf('.', slash + 1) >= 0) {
      throw new IllegalArgumentException("a WebDataset key has no dot in its last segment: " + key);
    }
  }

  private static int firstDotOfBaseName(String entryName) {
    int slash = entryName.lastIndexOf('/');
    return entryName.indexOf('.', slash + 1);
  }
}
