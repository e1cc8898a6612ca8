package dev.archipelago.trainer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The test manifest {@code local/two-experts.yaml} and edited copies of it. */
final class TestManifests {
  static final String TWO_EXPERTS = "local/two-experts.yaml";

  private TestManifests() {}

  static String twoExperts() {
    try (InputStream in = TestManifests.class.getClassLoader().getResourceAsStream(TWO_EXPERTS)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manifest with {@code from} replaced by {@code to} (which must occur). */
  static String edited(String from, String to) {
    String text = twoExperts();
    if (!text.contains(from)) {
      throw new IllegalArgumentException("the test manifest has no " + from);
    }
    return text.replace(from, to);
  }

  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
