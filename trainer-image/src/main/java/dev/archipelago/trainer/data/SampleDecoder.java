package dev.archipelago.trainer.data;

import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.LatentSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;

/**
 * Decodes a {@link RawSample} into a {@link Sample}, or says why it cannot: an image (resized to a
 * square {@link ImageFormat}), a latent tensor ({@code .npy} [C, S, S], scaled) or a feature vector
 * (1-D {@code .npy}), and the label when the data set has one.
 */
public final class SampleDecoder {
  private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg");

  /** What a sample's values are read from. */
  private interface Content {
    Result decode(RawSample raw, OptionalInt label);
  }

  private final Content content;
  private final String labelKey;

  private SampleDecoder(Content content, String labelKey) {
    this.content = content;
    this.labelKey = labelKey;
  }

  /**
   * Images, decoded to {@code format}.
   *
   * @param labelKey the part holding the integer class label ({@code spec.dataset.labelKey}, for
   *     example {@code cls}); null for unlabelled data, whose label parts are not read
   */
  public SampleDecoder(ImageFormat format, String labelKey) {
    this((raw, label) -> image(raw, label, format), labelKey);
  }

  /**
   * Latents: the {@code part} of every sample, float16 or float32 of shape [channels, size, size],
   * multiplied by {@code scale}.
   */
  public static SampleDecoder latents(
      String part, int channels, int size, double scale, String labelKey) {
    int[] expected = {channels, size, size};
    return new SampleDecoder(
        (raw, label) -> tensor(raw, label, part, expected, (float) scale), labelKey);
  }

  /** Feature vectors: the 1-D {@code .npy} {@code part} of every sample, of any length. */
  public static SampleDecoder vectors(String part) {
    return new SampleDecoder((raw, label) -> tensor(raw, label, part, null, 1f), null);
  }

  /** The decoder {@code spec.dataset} asks for: images or latents, and its label part. */
  public static SampleDecoder forDataset(DatasetSpec dataset) {
    if (dataset.trainsOnLatents()) {
      LatentSpec latents = dataset.getLatents();
      return latents(
          latents.getKey(),
          latents.getChannels(),
          latents.getSize(),
          latents.getScalingFactor() == null ? 1.0 : latents.getScalingFactor(),
          dataset.getLabelKey());
    }
    return new SampleDecoder(ImageFormat.of(dataset), dataset.getLabelKey());
  }

  /** The outcome of decoding: exactly one of {@code sample} and {@code skipReason} is set. */
  public record Result(Sample sample, SkipReason skipReason, String detail) {
    static Result ok(Sample sample) {
      return new Result(sample, null, null);
    }

    static Result skip(SkipReason reason, String detail) {
      return new Result(null, reason, detail);
    }
  }

  public Result decode(RawSample raw) {
    OptionalInt label = OptionalInt.empty();
    byte[] labelBytes = labelKey == null ? null : raw.parts().get(labelKey);
    if (labelBytes != null) {
      try {
        label =
            OptionalInt.of(Integer.parseInt(new String(labelBytes, StandardCharsets.UTF_8).trim()));
      } catch (NumberFormatException e) {
        return Result.skip(SkipReason.BAD_LABEL, "." + labelKey + ": " + e.getMessage());
      }
    }
    return content.decode(raw, label);
  }

  private static Result image(RawSample raw, OptionalInt label, ImageFormat format) {
    byte[] imageBytes = null;
    for (String ext : IMAGE_EXTENSIONS) {
      imageBytes = raw.parts().get(ext);
      if (imageBytes != null) {
        break;
      }
    }
    if (imageBytes == null) {
      return Result.skip(SkipReason.NO_IMAGE, "parts " + raw.parts().keySet());
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(imageBytes));
    } catch (Exception e) {
      // ImageIO reports broken files as IIOException, and some decoders as runtime exceptions.
      return Result.skip(SkipReason.UNDECODABLE_IMAGE, e.toString());
    }
    if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
      return Result.skip(SkipReason.UNDECODABLE_IMAGE, "no decoder recognised the bytes");
    }
    return Result.ok(
        new Sample(
            raw.shard(), raw.key(), ImageTensors.toChw(image, format), format.size(), label));
  }

  /**
   * @param expected the shape [C, S, S] the tensor must have, or null for any 1-D vector
   */
  private static Result tensor(
      RawSample raw, OptionalInt label, String part, int[] expected, float scale) {
    byte[] bytes = raw.parts().get(part);
    if (bytes == null) {
      return Result.skip(SkipReason.NO_TENSOR, "no ." + part + " among " + raw.parts().keySet());
    }
    NpyArray array;
    try {
      array = NpyArray.parse(bytes);
    } catch (NpyArray.NpyFormatException e) {
      return Result.skip(SkipReason.BAD_TENSOR, "." + part + ": " + e.getMessage());
    }
    boolean fits =
        expected == null
            ? array.shape().length == 1 && array.shape()[0] > 0
            : Arrays.equals(array.shape(), expected);
    if (!fits) {
      return Result.skip(
          SkipReason.BAD_TENSOR,
          "."
              + part
              + " has shape "
              + Arrays.toString(array.shape())
              + ", expected "
              + (expected == null ? "a vector" : Arrays.toString(expected)));
    }
    float[] values = array.values();
    if (scale != 1f) {
      for (int i = 0; i < values.length; i++) {
        values[i] *= scale;
      }
    }
    int size = expected == null ? 1 : expected[1];
    return Result.ok(new Sample(raw.shard(), raw.key(), values, size, label));
  }
}
