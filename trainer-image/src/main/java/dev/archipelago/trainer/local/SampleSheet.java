package dev.archipelago.trainer.local;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Lays out captioned blocks of samples (one per expert, one for the ensemble) on one white sheet:
 * ceil(sqrt(n)) blocks per row, a caption above each, every block enlarged by a whole factor with
 * nearest-neighbour scaling so that 16-pixel samples stay sharp.
 */
public final class SampleSheet {
  /** Blocks are enlarged until at least this wide. */
  static final int MIN_BLOCK_WIDTH = 256;

  static final int MARGIN = 12;
  static final int CAPTION_GAP = 4;
  static final Color BACKGROUND = Color.WHITE;
  private static final Color TEXT = Color.BLACK;
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

  /** A caption and the grid of samples under it. */
  public record Block(String caption, BufferedImage image) {}

  private final List<Block> blocks;
  private final int columns;
  private final int cellWidth;
  private final int cellHeight;
  private final int captionHeight;

  SampleSheet(List<Block> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no blocks to lay out");
    }
    this.blocks = List.copyOf(blocks);
    this.columns = (int) Math.ceil(Math.sqrt(blocks.size()));
    int width = 0;
    int height = 0;
    for (Block block : blocks) {
      int s = scale(block.image().getWidth());
      width = Math.max(width, block.image().getWidth() * s);
      height = Math.max(height, block.image().getHeight() * s);
    }
    this.cellWidth = width;
    this.cellHeight = height;
    this.captionHeight = captionHeight();
  }

  public static BufferedImage compose(List<Block> blocks) {
    return new SampleSheet(blocks).draw();
  }

  /** The whole factor by which a block {@code width} pixels wide is drawn. */
  static int scale(int width) {
    return Math.max(1, (MIN_BLOCK_WIDTH + width - 1) / width);
  }

  /** Top-left corner of block {@code i}'s caption. */
  Point cell(int i) {
    int rowHeight = captionHeight + CAPTION_GAP + cellHeight;
    return new Point(
        MARGIN + (i % columns) * (cellWidth + MARGIN),
        MARGIN + (i / columns) * (rowHeight + MARGIN));
  }

  /** Top-left corner of block {@code i}'s samples. */
  Point imageOrigin(int i) {
    Point cell = cell(i);
    return new Point(cell.x, cell.y + captionHeight + CAPTION_GAP);
  }

  BufferedImage draw() {
    int rows = (blocks.size() + columns - 1) / columns;
    int rowHeight = captionHeight + CAPTION_GAP + cellHeight;
    BufferedImage sheet =
        new BufferedImage(
            MARGIN + columns * (cellWidth + MARGIN),
            MARGIN + rows * (rowHeight + MARGIN),
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setFont(FONT);
      int ascent = g.getFontMetrics().getAscent();
      for (int i = 0; i < blocks.size(); i++) {
        Block block = blocks.get(i);
        Point cell = cell(i);
        g.setColor(TEXT);
        g.drawString(block.caption(), cell.x, cell.y + ascent);
        Point origin = imageOrigin(i);
        int s = scale(block.image().getWidth());
        g.drawImage(
            block.image(),
            origin.x,
            origin.y,
            block.image().getWidth() * s,
            block.image().getHeight() * s,
            null);
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  private static int captionHeight() {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = probe.createGraphics();
    try {
      return g.getFontMetrics(FONT).getHeight();
    } finally {
      g.dispose();
    }
  }
}
