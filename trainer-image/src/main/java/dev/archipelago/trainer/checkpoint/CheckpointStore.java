package dev.archipelago.trainer.checkpoint;

import dev.archipelago.api.contract.CheckpointPointer;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and restores one trainer's checkpoints in an object store, crash-safe without rename:
 *
 * <ol>
 *   <li>every file of {@code step-<n>/} is uploaded;
 *   <li>then {@code step-<n>/manifest.json} with each file's size and SHA-256;
 *   <li>then the {@code latest} pointer ({@link CheckpointPointer});
 *   <li>only then are checkpoints beyond the newest {@code keep} deleted.
 * </ol>
 *
 * A crash before step 3 leaves {@code latest} on the previous, complete checkpoint; a crash after
 * it leaves at most old directories to delete next time. Restoring follows {@code latest}, verifies
 * every file against the manifest and falls back to older complete checkpoints when one fails
 * (reporting it).
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  private final ObjectStore store;
  private final CheckpointLocation location;
  private final Path scratch;
  private final String configHash;
  private final int keep;
  private final Clock clock;

  /**
   * @param scratch a writable local directory for staging files
   * @param configHash the run's {@code RunConfig.hash()}
   * @param keep how many checkpoints to keep (at least 1)
   */
  public CheckpointStore(
      ObjectStore store,
      CheckpointLocation location,
      Path scratch,
      String configHash,
      int keep,
      Clock clock) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
    }
    this.store = store;
    this.location = location;
    this.scratch = scratch;
    this.configHash = configHash;
    this.keep = keep;
    this.clock = clock;
  }

  /** Writes the checkpoint of {@code step}, moves {@code latest} to it and prunes old ones. */
  public CheckpointPointer save(long step, int attempt, CheckpointContent content)
      throws IOException {
    String directory = location.directory(step);
    Path staging = Files.createTempDirectory(scratch, "checkpoint-" + step + "-");
    try {
      content.writeTo(staging);
      List<ManifestEntry> entries = new ArrayList<>();
      for (Path file : files(staging)) {
        String name = file.getFileName().toString();
        if (name.equals(CheckpointManifest.FILE_NAME)) {
          throw new IllegalStateException("a checkpoint file may not be named " + name);
        }
        entries.add(new ManifestEntry(name, Files.size(file), Sha256.of(file)));
        store.upload(directory + name, file);
      }
      CheckpointManifest manifest = new CheckpointManifest(step, configHash, entries);
      store.put(directory + CheckpointManifest.FILE_NAME, ContractJson.writeBytes(manifest));
      CheckpointPointer pointer =
          new CheckpointPointer(step, directory, configHash, attempt, clock.instant());
      store.put(location.latest(), ContractJson.writeBytes(pointer));
      LOG.info("checkpoint of step {} written to {}", step, directory);
      prune(step);
      return pointer;
    } finally {
      deleteRecursively(staging);
    }
  }

  /** The {@code latest} pointer, if any. */
  public Optional<CheckpointPointer> latest() throws IOException {
    Optional<byte[]> bytes = store.read(location.latest());
    return bytes.map(b -> ContractJson.read(b, CheckpointPointer.class));
  }

  /**
   * Restores the newest complete, intact checkpoint into {@code content}, starting at {@code
   * latest}; empty when there is none to resume from.
   *
   * @throws ConfigHashMismatchException when {@code latest} belongs to another run config
   */
  public Optional<RestoredCheckpoint> restoreLatest(CheckpointContent content)
      throws IOException, ConfigHashMismatchException {
    Optional<CheckpointPointer> pointer = latest();
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    if (!configHash.equals(pointer.get().configHash())) {
      throw new ConfigHashMismatchException(
          location.latest(), pointer.get().configHash(), configHash);
    }
    List<String> rejected = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    candidates.add(pointer.get().prefix());
    for (long step : stepsBelow(pointer.get().step())) {
      candidates.add(location.directory(step));
    }
    for (String directory : candidates) {
      Path local = Files.createTempDirectory(scratch, "restore-");
      try {
        Optional<String> problem = download(directory, local, content);
        if (problem.isPresent()) {
          LOG.warn("checkpoint {} is unusable: {}", directory, problem.get());
          rejected.add(directory + ": " + problem.get());
          continue;
        }
        content.readFrom(local);
        long step = StorageLayout.checkpointStep(directory).orElseThrow();
        LOG.info("restored checkpoint {} (step {})", directory, step);
        return Optional.of(new RestoredCheckpoint(step, directory, rejected));
      } finally {
        deleteRecursively(local);
      }
    }
    LOG.warn("no intact checkpoint under {}", location.root());
    return Optional.empty();
  }

  /**
   * Restores the checkpoint of exactly {@code step} (a pinned version, for serving).
   *
   * @throws IOException when it is missing or fails verification; the message says why
   */
  public RestoredCheckpoint restoreStep(long step, CheckpointContent content) throws IOException {
    String directory = location.directory(step);
    Path local = Files.createTempDirectory(scratch, "restore-");
    try {
      Optional<String> problem = download(directory, local, content);
      if (problem.isPresent()) {
        throw new IOException("checkpoint " + directory + " is unusable: " + problem.get());
      }
      content.readFrom(local);
      return new RestoredCheckpoint(step, directory, List.of());
    } finally {
      deleteRecursively(local);
    }
  }

  /**
   * Downloads the files of a checkpoint that {@code content} reads and checks them against the
   * manifest; returns what is wrong, if anything.
   */
  private Optional<String> download(String directory, Path local, CheckpointContent content)
      throws IOException {
    Optional<byte[]> manifestBytes = store.read(directory + CheckpointManifest.FILE_NAME);
    if (manifestBytes.isEmpty()) {
      return Optional.of("no manifest (the write did not finish)");
    }
    CheckpointManifest manifest;
    try {
      manifest = ContractJson.read(manifestBytes.get(), CheckpointManifest.class);
    } catch (IllegalArgumentException e) {
      return Optional.of("unreadable manifest: " + e.getMessage());
    }
    if (!configHash.equals(manifest.configHash())) {
      return Optional.of("written with config hash " + manifest.configHash());
    }
    for (ManifestEntry entry : manifest.files()) {
      if (!content.reads(entry.name())) {
        continue;
      }
      Path file = local.resolve(entry.name());
      try (InputStream in = store.open(directory + entry.name())) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        return Optional.of(entry.name() + " unreadable: " + e.getMessage());
      }
      long size = Files.size(file);
      if (size != entry.size()) {
        return Optional.of(entry.name() + " has " + size + " bytes, manifest says " + entry.size());
      }
      String sha = Sha256.of(file);
      if (!sha.equals(entry.sha256())) {
        return Optional.of(entry.name() + " sha256 " + sha + " differs from " + entry.sha256());
      }
    }
    return Optional.empty();
  }

  /** Checkpoint steps present below {@code step}, newest first. */
  private List<Long> stepsBelow(long step) throws IOException {
    return checkpointSteps().descendingSet().stream().filter(s -> s < step).toList();
  }

  private TreeSet<Long> checkpointSteps() throws IOException {
    TreeSet<Long> steps = new TreeSet<>();
    for (StoredObject object : store.list(location.root())) {
      OptionalLong step = StorageLayout.checkpointStep(object.key());
      if (step.isPresent()) {
        steps.add(step.getAsLong());
      }
    }
    return steps;
  }

  /** Deletes checkpoints older than the newest {@code keep} up to {@code current}. */
  private void prune(long current) throws IOException {
    List<Long> older =
        checkpointSteps().descendingSet().stream().filter(s -> s <= current).skip(keep).toList();
    for (long step : older) {
      String directory = location.directory(step);
      // The manifest goes first: a half-deleted directory then reads as unfinished, never as good.
      store.delete(directory + CheckpointManifest.FILE_NAME);
      for (StoredObject object : store.list(directory)) {
        store.delete(object.key());
      }
      LOG.info("deleted old checkpoint {}", directory);
    }
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      return list.filter(Files::isRegularFile)
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not clean {}: {}", directory, e.toString());
    }
  }
}
