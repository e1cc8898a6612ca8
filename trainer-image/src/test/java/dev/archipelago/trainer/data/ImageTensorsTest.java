package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {
  private static final int RED = 0xFFFF0000;
  private static final int HALF_TRANSPARENT_BLUE = 0x800000FF;

  @Test
  void rgbPlanesScaleEachColourToMinusOneToOne() {
    float[] chw = ImageTensors.toChw(solid(RED, BufferedImage.TYPE_INT_RGB), ImageFormat.rgb(2));
    assertThat(chw).hasSize(3 * 4);
    assertThat(chw[0]).isEqualTo(1f);
    assertThat(chw[4]).isEqualTo(-1f);
    assertThat(chw[8]).isEqualTo(-1f);
  }

  @Test
  void greyIsTheLumaOfTheColours() {
    float[] chw = ImageTensors.toChw(solid(RED, BufferedImage.TYPE_INT_RGB), new ImageFormat(2, 1));
    assertThat(chw).hasSize(4);
    // BT.601: 0.299 · 255 for pure red.
    assertThat(chw[0]).isCloseTo(0.299f * 255 / 127.5f - 1f, within(1e-5f));
  }

  @Test
  void alphaPlanesComeFromTheSourceAndAreOpaqueWithoutOne() {
    float[] rgba =
        ImageTensors.toChw(
            solid(HALF_TRANSPARENT_BLUE, BufferedImage.TYPE_INT_ARGB), new ImageFormat(2, 4));
    assertThat(rgba).hasSize(16);
    assertThat(rgba[8]).as("blue").isGreaterThan(0.9f);
    assertThat(rgba[12]).as("alpha 0x80").isCloseTo(128 / 127.5f - 1f, within(0.02f));

    float[] greyAlpha =
        ImageTensors.toChw(solid(RED, BufferedImage.TYPE_INT_RGB), new ImageFormat(2, 2));
    assertThat(greyAlpha).hasSize(8);
    assertThat(greyAlpha[4]).as("opaque").isEqualTo(1f);
  }

  @Test
  void formatsOutsideOneToFourChannelsAreRefused() {
    assertThatThrownBy(() -> new ImageFormat(8, 5)).hasMessageContaining("channels");
    assertThatThrownBy(() -> new ImageFormat(0, 3)).hasMessageContaining("imageSize");
  }

  private static BufferedImage solid(int argb, int type) {
    BufferedImage image = new BufferedImage(4, 4, type);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        image.setRGB(x, y, argb);
      }
    }
    return image;
  }
}
