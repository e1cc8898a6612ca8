package dev.archipelago.trainer.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything {@code local run} keeps on disk, under one directory that survives a rerun: the object
 * store's files, the run config, the tasks' logs and scratch space, loss records and the pictures.
 */
public record WorkDir(Path root) {
  public WorkDir {
    root = root.toAbsolutePath().normalize();
  }

  /** {@code ./.archipelago/<run name>/}. */
  public static WorkDir defaultFor(String runName) {
    return new WorkDir(Path.of(".archipelago", runName));
  }

  public void create() throws IOException {
    for (Path dir : new Path[] {root, blobs(), logs(), losses(), scratch()}) {
      Files.createDirectories(dir);
    }
  }

  /** The embedded object store's file system blob store (one directory per bucket). */
  public Path blobs() {
    return root.resolve("s3");
  }

  public Path runConfig() {
    return root.resolve("run-config.json");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path log(String task) {
    return logs().resolve(task + ".log");
  }

  public Path losses() {
    return root.resolve("loss");
  }

  public Path lossCsv(String task) {
    return losses().resolve(task + ".csv");
  }

  public Path lossPlot(String task) {
    return root.resolve("loss-" + task + ".png");
  }

  public Path scratch() {
    return root.resolve("scratch");
  }

  public Path samples() {
    return root.resolve("samples.png");
  }

  /**
   * The attempt number of this invocation: one more than the last one recorded here. It goes into
   * the tasks' {@code ARCHIPELAGO_ATTEMPT}, as an operator's retry would.
   */
  public int nextAttempt() throws IOException {
    Path file = root.resolve("attempt");
    int attempt = 1;
    if (Files.exists(file)) {
      try {
        attempt = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim()) + 1;
      } catch (NumberFormatException e) {
        attempt = 1;
      }
    }
    Files.writeString(file, Integer.toString(attempt), StandardCharsets.UTF_8);
    return attempt;
  }
}
