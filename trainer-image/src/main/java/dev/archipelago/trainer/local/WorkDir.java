package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.RunConfig;
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
    // No s3/ here: only the embedded server uses it, and creates it.
    for (Path dir : new Path[] {root, logs(), losses(), scratch()}) {
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
   * Writes the run config, after checking that this directory holds no other run: the API keeps
   * dataset, partitioning and model immutable, and the trainers would refuse checkpoints of another
   * config hash. Said here, before any task starts.
   */
  public void claim(RunConfig config) throws IOException {
    if (Files.exists(runConfig())) {
      RunConfig before = null;
      try {
        before = RunConfig.fromJson(Files.readString(runConfig(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // Unreadable: overwritten below; the trainers still check the hash of any checkpoint.
      }
      if (before != null
          && (!before.hash().equals(config.hash()) || !before.uid().equals(config.uid()))) {
        throw new ManifestException(
            "spec.dataset, spec.partitioning, spec.model or the run's name/namespace differ from"
                + " the run in "
                + root
                + " (immutable, as in a cluster): delete that directory or pass another"
                + " --work-dir");
      }
    }
    Files.writeString(runConfig(), config.toJson(), StandardCharsets.UTF_8);
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
