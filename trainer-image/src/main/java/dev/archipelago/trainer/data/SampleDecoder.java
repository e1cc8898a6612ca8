package dev.archipelago.trainer.data;

import dev.archipelago.api.spec.DatasetSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;

/** Decodes a {@link RawSample} into a {@link Sample}, or says why it cannot. */
public final class SampleDecoder {
  private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg");

  private final ImageFormat format;
  private final String labelKey;

  /**
   * @param labelKey the part holding the integer class label ({@code spec.dataset.labelKey}, for
   *     example {@code cls}); null for unlabelled data, whose label parts are not read
   */
  public SampleDecoder(ImageFormat format, String labelKey) {
    this.format = format;
    this.labelKey = labelKey;
  }

  /** The decoder {@code spec.dataset} asks for: its image format and label part. */
  public static SampleDecoder forDataset(DatasetSpec dataset) {
    return new SampleDecoder(ImageFormat.of(dataset), dataset.getLabelKey());
  }

  public ImageFormat format() {
    return format;
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
}
