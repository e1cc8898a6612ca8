package dev.archipelago.trainer.model;

import java.util.Locale;

/**
 * Model sizes. S, B, L and XL are the DiT paper's depths, widths and heads; all use patch 2 and an
 * MLP ratio of 4. {@code TINY} is for CPU tests and smoke runs.
 */
public enum DitPreset {
  TINY(4, 128, 4),
  S(12, 384, 6),
  B(12, 768, 12),
  L(24, 1024, 16),
  XL(28, 1152, 16);

  public static final int PATCH_SIZE = 2;
  public static final double MLP_RATIO = 4.0;

  private final int depth;
  private final int hiddenSize;
  private final int heads;

  DitPreset(int depth, int hiddenSize, int heads) {
    this.depth = depth;
    this.hiddenSize = hiddenSize;
    this.heads = heads;
  }

  public int depth() {
    return depth;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  public int heads() {
    return heads;
  }

  public DitConfig config(int imageSize, int inChannels, int numClasses, double classDropout) {
    return new DitConfig(
        imageSize,
        inChannels,
        PATCH_SIZE,
        hiddenSize,
        depth,
        heads,
        MLP_RATIO,
        numClasses,
        classDropout);
  }

  /** The preset named {@code name} ("tiny", "S", "b", …), case-insensitive. */
  public static DitPreset fromName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown model preset '" + name + "'; expected one of tiny, S, B, L, XL", e);
    }
  }
}
