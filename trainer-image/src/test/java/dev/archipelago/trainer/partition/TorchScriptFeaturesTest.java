package dev.archipelago.trainer.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.FeatureNormalization;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TorchScript module through DJL: src/test/resources/torchscript/pooling-encoder.pt (written
 * by src/test/python/make_pooling_encoder.py with torch 2.7.1, the libtorch DJL bundles)
 * average-pools [B, 3, S, S] to 4×4 per channel and flattens to [B, 48]. The features must equal
 * the same pooling computed here.
 */
class TorchScriptFeaturesTest {
  private static final int RGB = 3;
  private static final int IMAGE_SIZE = 16;
  private static final int GRID = 4;
  @TempDir Path dir;

  @Test
  void theEncodersFeaturesAreTheFourByFourAveragePooling() throws IOException {
    List<Sample> batch = randomImages(3);
    try (TorchScriptFeatures features =
        new TorchScriptFeatures(encoderFile(), ImageFormat.rgb(IMAGE_SIZE), "pooling-encoder.pt")) {
      assertThat(features.dimension()).isEqualTo(3 * GRID * GRID);
      assertThat(features.describe()).contains("48 features");

      float[][] extracted = features.extract(batch);

      assertThat(extracted.length).isEqualTo(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        float[] expected = averagePool(batch.get(i).pixels());
        for (int j = 0; j < expected.length; j++) {
          assertThat(extracted[i][j])
              .as("sample %d feature %d", i, j)
              .isCloseTo(expected[j], within(1e-5f));
        }
      }
    }
  }

  @Test
  void theEncoderGetsItsOwnInputSizeAndImageNetStatistics() throws IOException {
    ImageFormat input = ImageFormat.rgb(32);
    try (TorchScriptFeatures features =
        new TorchScriptFeatures(
            encoderFile(), input, FeatureNormalization.IMAGENET, "pooling-encoder.pt")) {
      // The partition decodes at the encoder's size, whatever the training size.
      DatasetSpec dataset = new DatasetSpec();
      dataset.setImageSize(8);
      assertThat(features.decoder(dataset).decode(png(10)).sample().imageSize()).isEqualTo(32);
      assertThat(features.describe()).contains("32 px").contains("imagenet");
      float[] white = new float[input.values()];
      java.util.Arrays.fill(white, 1f);
      float[] row =
          features.extract(List.of(new Sample("s", "k", white, 32, OptionalInt.empty())))[0];
      float[] mean = {0.485f, 0.456f, 0.406f};
      float[] std = {0.229f, 0.224f, 0.225f};
      for (int c = 0; c < RGB; c++) {
        assertThat(row[c * GRID * GRID]).isCloseTo((1 - mean[c]) / std[c], within(1e-4f));
      }
    }
  }

  @Test
  void l2NormalisedFeaturesHaveUnitLengthAndAreNotStandardised() throws IOException {
    try (ImageFeatures features =
        new L2NormalizedFeatures(
            new TorchScriptFeatures(
                encoderFile(), ImageFormat.rgb(IMAGE_SIZE), "pooling-encoder.pt"))) {
      assertThat(features.standardize()).isFalse();
      assertThat(features.describe()).endsWith("L2-normalised");
      for (float[] row : features.extract(randomImages(4))) {
        double norm = 0;
        for (float v : row) {
          norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
      }
    }
  }

  @Test
  void aFileThatIsNotTorchScriptIsReportedAsAnIoError() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.pt"), "not a TorchScript archive");

    assertThatThrownBy(() -> new TorchScriptFeatures(junk, ImageFormat.rgb(IMAGE_SIZE), "junk.pt"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("junk.pt");
  }

  /** Channel-major [3, 4, 4] block means of one CHW image, as flatten(1) orders them. */
  private static float[] averagePool(float[] chw) {
    int block = IMAGE_SIZE / GRID;
    float[] out = new float[3 * GRID * GRID];
    for (int c = 0; c < RGB; c++) {
      for (int by = 0; by < GRID; by++) {
        for (int bx = 0; bx < GRID; bx++) {
          double sum = 0;
          for (int y = by * block; y < (by + 1) * block; y++) {
            for (int x = bx * block; x < (bx + 1) * block; x++) {
              sum += chw[(c * IMAGE_SIZE + y) * IMAGE_SIZE + x];
            }
          }
          out[(c * GRID + by) * GRID + bx] = (float) (sum / (block * block));
        }
      }
    }
    return out;
  }

  private Path encoderFile() throws IOException {
    Path file = dir.resolve("pooling-encoder.pt");
    try (InputStream in = getClass().getResourceAsStream("/torchscript/pooling-encoder.pt")) {
      assertThat(in).as("test resource torchscript/pooling-encoder.pt").isNotNull();
      Files.copy(in, file);
    }
    return file;
  }

  private static List<Sample> randomImages(int count) {
    SplittableRandom random = new SplittableRandom(7);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] pixels = new float[RGB * IMAGE_SIZE * IMAGE_SIZE];
      for (int j = 0; j < pixels.length; j++) {
        pixels[j] = (float) random.nextDouble(-1, 1);
      }
      out.add(new Sample("test", "image-" + i, pixels, IMAGE_SIZE, OptionalInt.empty()));
    }
    return out;
  }

  private static RawSample png(int side) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), "png", bytes);
    return new RawSample("s.tar", "k", Map.of("png", bytes.toByteArray()));
  }
}
