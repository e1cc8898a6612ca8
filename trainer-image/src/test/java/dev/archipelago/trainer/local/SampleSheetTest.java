package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleSheetTest {
  // A 4x4 grid of 16-pixel samples with 2-pixel gaps, as the server draws it.
  private static final int GRID = 4 * 16 + 3 * 2;

  @Test
  void blocksAreLaidOutCeilSqrtPerRowEnlargedByAWholeFactorUnderTheirCaptions() {
    List<SampleSheet.Block> blocks =
        List.of(
            new SampleSheet.Block("expert=0", SolidImages.of(Color.RED, GRID, GRID)),
            new SampleSheet.Block("expert=1", SolidImages.of(Color.GREEN, GRID, GRID)),
            new SampleSheet.Block("ensemble (topk, k=2)", SolidImages.of(Color.BLUE, GRID, GRID)));
    SampleSheet layout = new SampleSheet(blocks);
    BufferedImage sheet = layout.draw();

    int scale = SampleSheet.scale(GRID);
    assertThat(scale).isEqualTo(4);
    int block = GRID * scale;
    // Two blocks per row, two rows.
    assertThat(layout.imageOrigin(1).x)
        .isEqualTo(layout.imageOrigin(0).x + block + SampleSheet.MARGIN);
    assertThat(layout.imageOrigin(2).x).isEqualTo(layout.imageOrigin(0).x);
    assertThat(layout.imageOrigin(2).y).isGreaterThan(layout.imageOrigin(0).y + block);
    assertThat(sheet.getWidth()).isEqualTo(SampleSheet.MARGIN + 2 * (block + SampleSheet.MARGIN));

    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
    for (int i = 0; i < 3; i++) {
      Point origin = layout.imageOrigin(i);
      assertThat(new Color(sheet.getRGB(origin.x, origin.y))).isEqualTo(colours[i]);
      assertThat(new Color(sheet.getRGB(origin.x + block - 1, origin.y + block - 1)))
          .isEqualTo(colours[i]);
      assertThat(new Color(sheet.getRGB(origin.x + block, origin.y + block - 1)))
          .isEqualTo(SampleSheet.BACKGROUND);
      assertThat(captionInk(sheet, layout.cell(i), origin, block)).as("caption %d", i).isTrue();
    }
  }

  @Test
  void largeBlocksAreNotEnlarged() {
    assertThat(SampleSheet.scale(300)).isEqualTo(1);
    assertThat(SampleSheet.scale(200)).isEqualTo(2);
  }

  /** Whether the caption strip above a block has dark (text) pixels. */
  private static boolean captionInk(BufferedImage sheet, Point cell, Point image, int width) {
    for (int y = cell.y; y < image.y; y++) {
      for (int x = cell.x; x < cell.x + width; x++) {
        Color c = new Color(sheet.getRGB(x, y));
        if (c.getRed() + c.getGreen() + c.getBlue() < 200) {
          return true;
        }
      }
    }
    return false;
  }
}
