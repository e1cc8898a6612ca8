package dev.archipelago.trainer.checkpoint;

import java.util.List;

/**
 * {@code manifest.json}, the last object written inside a checkpoint directory: it lists every
 * other file with its size and SHA-256. A directory without a manifest is an unfinished write; a
 * file that disagrees with it is corruption. Either way the checkpoint is not used.
 *
 * @param step optimiser step the checkpoint was taken after
 * @param configHash the run's {@code RunConfig.hash()}
 * @param files every file of the checkpoint except the manifest
 */
public record CheckpointManifest(long step, String configHash, List<ManifestEntry> files) {
  /** The manifest's own name inside the checkpoint directory. */
  public static final String FILE_NAME = "manifest.json";

  public CheckpointManifest {
    files = List.copyOf(files);
  }
}
