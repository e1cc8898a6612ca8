package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C safety: {@code local run} runs as its own process, gets SIGTERM once an expert has
 * checkpointed, must stop every child, and a second run must resume from the checkpoints instead of
 * starting over.
 */
class LocalRunStopIT {
  private static final long STEPS = 200;
  private static final long CHECKPOINT_EVERY = 20;
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Pattern RESUMED =
      Pattern.compile("resuming training from .* \\(step (\\d+)\\)");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermStopsEveryChildAfterACheckpointAndTheNextRunResumes() throws Exception {
    Path manifest =
        TestManifests.write(
            dir,
            "run.yaml",
            TestManifests.edited(
                    "    steps: 30\n    batchSize: 8", "    steps: 200\n    batchSize: 8")
                .replace("checkpointEvery: 10", "checkpointEvery: " + CHECKPOINT_EVERY));
    Path work = dir.resolve("work");

    Process first = start(manifest, work, dir.resolve("first.out"));
    Progress atCheckpoint = awaitCheckpoint(work, first);
    List<ProcessHandle> children = first.descendants().toList();
    assertThat(children).as("the task processes").isNotEmpty();

    first.destroy();
    assertThat(first.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle child : children) {
      assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("child " + child).isFalse();
    }
    Progress stopped = expertProgress(work).orElseThrow();
    assertThat(stopped.step()).isGreaterThanOrEqualTo(atCheckpoint.lastCheckpointStep());
    assertThat(stopped.step()).isLessThan(STEPS);
    assertThat(Files.readString(dir.resolve("first.out"))).contains("stopping [");

    Process second = start(manifest, work, dir.resolve("second.out"));
    assertThat(second.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(dir.resolve("second.out"));
    assertThat(second.exitValue()).as(output).isZero();
    assertThat(output).contains("partition: complete from an earlier run");

    Matcher resumed = RESUMED.matcher(Files.readString(work.resolve("logs/expert-0.log")));
    assertThat(resumed.find()).as("expert-0 resumed from a checkpoint").isTrue();
    long from = Long.parseLong(resumed.group(1));
    assertThat(from)
        .as("steps repeated at most one checkpoint interval")
        .isGreaterThanOrEqualTo(stopped.step() - CHECKPOINT_EVERY)
        .isGreaterThan(0);
    Progress done = expertProgress(work).orElseThrow();
    assertThat(done.phase()).isEqualTo(ProgressPhase.Completed);
    assertThat(done.step()).isEqualTo(STEPS);
    assertThat(done.attempt()).isEqualTo(2);
  }

  private Process start(Path manifest, Path work, Path output) throws IOException {
    List<String> command =
        JvmCommand.current()
            .archipelago(
                1,
                List.of(
                    "local",
                    "run",
                    "-f",
                    manifest.toString(),
                    "--work-dir",
                    work.toString(),
                    "--parallel",
                    "2",
                    "--no-samples"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    started.add(process);
    return process;
  }

  /** Waits until expert 0 reports a checkpoint; fails if local run ends first. */
  private static Progress awaitCheckpoint(Path work, Process localRun) {
    return await("expert 0 checkpointed")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .failFast("local run ended before expert 0 checkpointed", () -> !localRun.isAlive())
        .until(
            () -> expertProgress(work), p -> p.isPresent() && p.get().lastCheckpointStep() != null)
        .orElseThrow();
  }

  /** Expert 0's progress.json, read from the embedded store's directory. */
  private static Optional<Progress> expertProgress(Path work) throws IOException {
    Path configFile = work.resolve("run-config.json");
    if (!Files.exists(configFile)) {
      return Optional.empty();
    }
    RunConfig config = RunConfig.fromJson(Files.readString(configFile));
    Path file =
        work.resolve("s3")
            .resolve(config.storage().bucket())
            .resolve(config.layout().expertProgress(0));
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ContractJson.read(Files.readAllBytes(file), Progress.class));
    } catch (IllegalArgumentException e) {
      // Being rewritten right now.
      return Optional.empty();
    }
  }
}
