package dev.archipelago.trainer.model;

/**
 * The shape of a DiT: image geometry, transformer size and class conditioning.
 *
 * @param imageSize side of the square input image in pixels
 * @param inChannels channels of the input (and output) image
 * @param patchSize side of a patch; the sequence has (imageSize / patchSize)² tokens
 * @param hiddenSize token width
 * @param depth number of transformer blocks
 * @param heads attention heads; must divide {@code hiddenSize}
 * @param mlpRatio width of the MLP relative to {@code hiddenSize}
 * @param numClasses class labels for conditioning; 0 for an unconditional model
 * @param classDropout probability of replacing a label with the null class while training, so one
 *     model learns both the conditional and unconditional velocity (classifier-free guidance)
 */
public record DitConfig(
    int imageSize,
    int inChannels,
    int patchSize,
    int hiddenSize,
    int depth,
    int heads,
    double mlpRatio,
    int numClasses,
    double classDropout) {

  /** Width of the sinusoidal timestep features fed to the timestep MLP (as in DiT). */
  public static final int TIMESTEP_FREQUENCIES = 256;

  public DitConfig {
    require(
        imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0,
        "imageSize must be a positive multiple of patchSize");
    require(inChannels > 0 && depth > 0 && heads > 0, "channels, depth and heads must be positive");
    require(hiddenSize % heads == 0, "heads must divide hiddenSize");
    // The 2-D sine-cosine position table splits the width in four (sin/cos × row/column).
    require(hiddenSize % 4 == 0, "hiddenSize must be a multiple of 4");
    require(mlpRatio > 0, "mlpRatio must be positive");
    require(numClasses >= 0, "numClasses must not be negative");
    require(classDropout >= 0 && classDropout < 1, "classDropout must be in [0, 1)");
  }

  /** Patches per image side. */
  public int gridSize() {
    return imageSize / patchSize;
  }

  /** Tokens per image. */
  public int tokens() {
    return gridSize() * gridSize();
  }

  /** Hidden width of each block's MLP. */
  public int mlpHiddenSize() {
    return (int) (hiddenSize * mlpRatio);
  }

  public boolean classConditional() {
    return numClasses > 0;
  }

  /** This configuration at another image size (the parameter count does not depend on it). */
  public DitConfig withImageSize(int size) {
    return new DitConfig(
        size, inChannels, patchSize, hiddenSize, depth, heads, mlpRatio, numClasses, classDropout);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
