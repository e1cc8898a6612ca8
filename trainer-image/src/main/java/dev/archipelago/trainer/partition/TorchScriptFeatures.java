package dev.archipelago.trainer.partition;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.archipelago.api.spec.FeatureNormalization;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.train.Batches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private static final String MODEL_NAME = "encoder";

  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  // ImageNet's per-channel statistics of [0, 1] images, as torchvision and DINOv2 use them.
  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private final ImageFormat format;
  private final FeatureNormalization normalization;
  private final int dimension;
  private final String origin;

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
    this.origin = origin;
    // DJL loads "<dir>/<name>.pt"; the download may have any name.
    Path directory =
        Files.createTempDirectory(moduleFile.toAbsolutePath().getParent(), "torchscript-");
    Files.copy(
        moduleFile, directory.resolve(MODEL_NAME + ".pt"), StandardCopyOption.REPLACE_EXISTING);
    this.model = Model.newInstance(MODEL_NAME, "PyTorch");
    try {
      model.load(directory, MODEL_NAME);
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IOException("cannot load TorchScript module " + origin + ": " + e.getMessage(), e);
    }
    this.predictor = model.newPredictor(new NoopTranslator());
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
    for (Sample s : batch) {
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
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray images = Batches.images(scope, batch);
      if (normalization == FeatureNormalization.IMAGENET) {
        NDArray mean = scope.create(IMAGENET_MEAN, new Shape(1, 3, 1, 1));
        NDArray std = scope.create(IMAGENET_STD, new Shape(1, 3, 1, 1));
        images = images.add(1).div(2).sub(mean).div(std);
      }
      NDList output = predictor.predict(new NDList(images));
      NDArray features = output.get(0).reshape(batch.size(), -1).toType(DataType.FLOAT32, false);
      int width = (int) features.getShape().get(1);
      float[] flat = features.toFloatArray();
      float[][] rows = new float[batch.size()][width];
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(flat, i * width, rows[i], 0, width);
      }
      output.close();
      return rows;
    } catch (TranslateException e) {
      throw new IllegalStateException("the TorchScript encoder failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "torchscript "
        + origin
        + " ("
        + dimension
        + " features of "
        + format.size()
        + " px images, "
        + normalization.name().toLowerCase()
        + ")";
  }

  @Override
  public ImageFormat inputFormat(ImageFormat dataset) {
    return format;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
