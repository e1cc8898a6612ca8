package dev.archipelago.trainer.partition;

import ai.djl.ndarray.types.Shape;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.FeatureNormalization;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.model.TorchScriptModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Features from a user's TorchScript image encoder (for example a DINOv2 export), run through DJL's
 * PyTorch engine. The module receives one tensor [B, C, S, S] of float32 (C = dataset.channels, S =
 * features.inputSize, default dataset.imageSize: images are decoded at the encoder's own size), in
 * [−1, 1] or with ImageNet's per-channel statistics ({@link FeatureNormalization}), and returns a
 * tensor whose first axis is the batch; everything after it is flattened into the feature vector.
 */
public final class TorchScriptFeatures implements ImageFeatures {
  // ImageNet's per-channel statistics of [0, 1] images, as torchvision and DINOv2 use them.
  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private final TorchScriptModule module;
  private final ImageFormat format;
  private final FeatureNormalization normalization;
  private final int dimension;

  /**
   * @param moduleFile a TorchScript file ({@code torch.jit.save})
   * @param origin where it came from, for reports
   */
  public TorchScriptFeatures(Path moduleFile, ImageFormat format, String origin)
      throws IOException {
    this(moduleFile, format, FeatureNormalization.SIGNED, origin);
  }

  /**
   * @param format the images the encoder takes (its input size, the data set's channels)
   */
  public TorchScriptFeatures(
      Path moduleFile, ImageFormat format, FeatureNormalization normalization, String origin)
      throws IOException {
    if (normalization == FeatureNormalization.IMAGENET && format.channels() != 3) {
      throw new IllegalArgumentException(
          "features.normalization imagenet needs RGB images, not " + format.channels() + " planes");
    }
    this.format = format;
    this.normalization = normalization;
    this.module = new TorchScriptModule(moduleFile, origin);
    // One dummy image tells the feature width before the data set is read.
    this.dimension =
        run(
                List.of(
                    new Sample(
                        "probe",
                        "probe",
                        new float[format.values()],
                        format.size(),
                        OptionalInt.empty())))[0]
            .length;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[][] extract(List<Sample> batch) {
    float[][] out = run(batch);
    for (float[] row : out) {
      if (row.length != dimension) {
        throw new IllegalStateException("the encoder's feature width changed to " + row.length);
      }
    }
    return out;
  }

  private float[][] run(List<Sample> batch) {
    int perImage = format.values();
    float[] packed = new float[batch.size() * perImage];
    for (int i = 0; i < batch.size(); i++) {
      Sample s = batch.get(i);
      if (s.imageSize() != format.size() || s.channels() != format.channels()) {
        throw new IllegalArgumentException(
            "sample of "
                + s.channels()
                + "x"
                + s.imageSize()
                + ", expected "
                + format.channels()
                + "x"
                + format.size());
      }
      System.arraycopy(s.pixels(), 0, packed, i * perImage, perImage);
    }
    if (normalization == FeatureNormalization.IMAGENET) {
      toImagenetStatistics(packed);
    }
    TorchScriptModule.Output output =
        module.run(
            packed, new Shape(batch.size(), format.channels(), format.size(), format.size()));
    int width = output.values().length / batch.size();
    float[][] rows = new float[batch.size()][width];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(output.values(), i * width, rows[i], 0, width);
    }
    return rows;
  }

  /** [−1, 1] → [0, 1] → (x − mean) / std, per RGB plane. */
  private void toImagenetStatistics(float[] packed) {
    int plane = format.size() * format.size();
    for (int i = 0; i < packed.length; i++) {
      int channel = (i / plane) % 3;
      packed[i] = ((packed[i] + 1f) / 2f - IMAGENET_MEAN[channel]) / IMAGENET_STD[channel];
    }
  }

  @Override
  public String describe() {
    return "torchscript "
        + module.origin()
        + " ("
        + dimension
        + " features of "
        + format.size()
        + " px images, "
        + normalization.name().toLowerCase()
        + ")";
  }

  @Override
  public SampleDecoder decoder(DatasetSpec dataset) {
    // The encoder reads the images even of a latent data set, at its own input size.
    return new SampleDecoder(format, dataset.getLabelKey());
  }

  @Override
  public void close() {
    module.close();
  }
}
