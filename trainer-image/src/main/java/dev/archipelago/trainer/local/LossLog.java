package dev.archipelago.trainer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A task's loss curve as a CSV file ({@code step,loss,attempt}), appended as progress is polled and
 * kept across reruns. A resumed task repeats the steps after its checkpoint; when reading, the
 * later value of a step wins.
 */
final class LossLog {
  static final String HEADER = "step,loss,attempt";

  private final Path file;
  private long lastStep = -1;

  LossLog(Path file) {
    this.file = file;
    NavigableMap<Long, Double> existing = read(file);
    if (!existing.isEmpty()) {
      lastStep = existing.lastKey();
    }
  }

  /** Appends a point unless it is the step recorded last. */
  synchronized void record(long step, double loss, int attempt) {
    if (step == lastStep) {
      return;
    }
    try {
      if (!Files.exists(file)) {
        Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
      }
      Files.writeString(
          file,
          String.format(Locale.ROOT, "%d,%.6g,%d%n", step, loss, attempt),
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      lastStep = step;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** Step → loss, the last record of a step winning; empty when there is no file. */
  static NavigableMap<Long, Double> read(Path file) {
    NavigableMap<Long, Double> points = new TreeMap<>();
    if (!Files.exists(file)) {
      return points;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (String line : lines) {
      String[] fields = line.split(",");
      if (fields.length < 2 || line.startsWith("step")) {
        continue;
      }
      try {
        points.put(Long.parseLong(fields[0].trim()), Double.parseDouble(fields[1].trim()));
      } catch (NumberFormatException e) {
        // A line cut short by a kill: skip it.
      }
    }
    return points;
  }
}
