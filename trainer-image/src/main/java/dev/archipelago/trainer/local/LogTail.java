package dev.archipelago.trainer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The last lines of a task's log, shown when it fails. Stack frames are left out: a failing task
 * logs a trace whose frames would push its message and causes out of view.
 */
final class LogTail {
  static final int LINES = 20;

  private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at \\S|\\.\\.\\. \\d+ more)");

  private LogTail() {}

  static List<String> of(Path log, int lines) {
    Deque<String> tail = new ArrayDeque<>(lines);
    try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
      all.filter(line -> !STACK_FRAME.matcher(line).find())
          .forEach(
              line -> {
                if (tail.size() == lines) {
                  tail.removeFirst();
                }
                tail.addLast(line);
              });
    } catch (IOException | UncheckedIOException e) {
      return List.of("(cannot read " + log + ": " + e + ")");
    }
    return List.copyOf(tail);
  }
}
