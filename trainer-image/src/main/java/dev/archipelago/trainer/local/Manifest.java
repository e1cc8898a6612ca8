package dev.archipelago.trainer.local;

import dev.archipelago.api.DDMRun;
import java.util.List;

/**
 * What {@code local run} takes from a manifest: its one DDMRun, and a note for every other document
 * (ComputeIslands, Secrets: a cluster needs them, one machine does not).
 */
public record Manifest(DDMRun run, List<String> notes) {
  public Manifest {
    notes = List.copyOf(notes);
  }
}
