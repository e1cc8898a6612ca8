package dev.archipelago.trainer.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a trainer puts in a checkpoint: it writes its files into a local directory and reads them
 * back. The {@link CheckpointStore} uploads, verifies and downloads them; it never looks inside.
 */
public interface CheckpointContent {

  /** Writes this trainer's files (plain names, no subdirectories) into {@code directory}. */
  void writeTo(Path directory) throws IOException;

  /** Restores from files that {@link #writeTo} wrote and that passed their checksums. */
  void readFrom(Path directory) throws IOException;

  /**
   * Whether {@link #readFrom} needs the file {@code name}; files it does not need are neither
   * downloaded nor verified (a server reading only the EMA weights skips the optimizer state).
   */
  default boolean reads(String name) {
    return true;
  }
}
