package dev.archipelago.trainer.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The WebDataset naming rule: in {@code dir/abc.seg.png} the key is {@code dir/abc} (everything
 * before the first dot of the last path segment) and the extension is {@code seg.png}.
 */
public final class WebDatasetKeys {
  /** Extensions of image parts: the parts a latent data set's trainers never read. */
  public static final Set<String> IMAGE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "webp", "ppm", "bmp", "gif", "tif", "tiff");

  private WebDatasetKeys() {}

  /** {@code parts} without its image parts. */
  public static Map<String, byte[]> withoutImages(Map<String, byte[]> parts) {
    Map<String, byte[]> kept = new LinkedHashMap<>();
    parts.forEach(
        (ext, bytes) -> {
          if (!IMAGE_EXTENSIONS.contains(ext)) {
            kept.put(ext, bytes);
          }
        });
    return kept;
  }

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
