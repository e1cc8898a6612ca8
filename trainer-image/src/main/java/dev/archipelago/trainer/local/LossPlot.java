package dev.archipelago.trainer.local;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a task's loss curve (smoothed loss against step) into a PNG with XChart. */
final class LossPlot {
  static final int WIDTH = 640;
  static final int HEIGHT = 400;

  private LossPlot() {}

  /** One plot per task that recorded losses; returns the files written. */
  static List<Path> drawAll(List<LocalTask> tasks, WorkDir workDir) throws IOException {
    List<Path> plots = new ArrayList<>();
    for (LocalTask task : tasks) {
      Path png = workDir.lossPlot(task.name());
      if (write(task.name() + " loss", LossLog.read(workDir.lossCsv(task.name())), png)) {
        plots.add(png);
      }
    }
    return plots;
  }

  /** Writes the plot of {@code points}; returns false (and writes nothing) when there are none. */
  static boolean write(String title, NavigableMap<Long, Double> points, Path png)
      throws IOException {
    if (points.isEmpty()) {
      return false;
    }
    List<Long> steps = new ArrayList<>(points.keySet());
    List<Double> losses = new ArrayList<>(points.values());
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle("loss (smoothed)")
            .build();
    chart.getStyler().setLegendVisible(false);
    XYSeries series = chart.addSeries("loss", steps, losses);
    series.setMarker(SeriesMarkers.NONE);
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      chart.paint(g, WIDTH, HEIGHT);
    } finally {
      g.dispose();
    }
    // ImageIO directly: XChart's own encoders would need its excluded PDF and GIF libraries.
    ImageIO.write(image, "png", png.toFile());
    return true;
  }
}
