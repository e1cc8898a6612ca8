package dev.archipelago.trainer.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/** The last lines of a task's log, shown when it fails. */
final class LogTail {
  static final int LINES = 20;

  private LogTail() {}

  static List<String> of(Path log, int lines) {
    Deque<String> tail = new ArrayDeque<>(lines);
    try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
      all.forEach(
          line -> {
            if (tail.size() == lines) {
              tail.removeFirst();
            }
            tail.addLast(line);
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(cannot read " + log + ": " + e + ")");
    }
    return List.copyOf(tail);
  }
}
