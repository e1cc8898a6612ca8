package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.cli.Archipelago;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code local run} end to end on a tiny manifest: real child JVMs train with DJL against the
 * embedded S3 server. The inference server part is switched off ({@code --no-samples}).
 */
class LocalRunIT {
  private static final String[] TASKS = {"expert-0", "expert-1", "router"};

  @TempDir Path dir;

  @Test
  void trainsEveryTaskAndLeavesLogsLossRecordsAndPlotsThenARerunHasNothingToDo() throws Exception {
    Path manifest = TestManifests.write(dir, "run.yaml", TestManifests.twoExperts());
    Path work = dir.resolve("work");

    Run first = localRun(manifest, work);

    assertThat(first.exit).as(first.err).isZero();
    assertThat(first.out)
        .contains("ignoring ComputeIsland test-pool", "ignoring Secret test-s3")
        .contains("partition: done", "expert-0: done", "expert-1: done", "router: done")
        .contains("router held-out accuracy: t=0.0")
        .contains("total wall time");
    for (String task : TASKS) {
      assertThat(first.out).containsPattern("(?m)^" + task + " +\\d+ +\\d+/\\d+ +\\d+\\.\\d{4} ");
      assertThat(work.resolve("logs/" + task + ".log")).isNotEmptyFile();
      assertThat(Files.readAllLines(work.resolve("loss/" + task + ".csv")))
          .first()
          .isEqualTo(LossLog.HEADER);
      assertThat(Files.readAllLines(work.resolve("loss/" + task + ".csv"))).hasSizeGreaterThan(1);
      BufferedImage plot = ImageIO.read(work.resolve("loss-" + task + ".png").toFile());
      assertThat(plot).as("loss plot of " + task).isNotNull();
      assertThat(plot.getWidth()).isEqualTo(LossPlot.WIDTH);
    }
    assertThat(work.resolve("logs/partition.log")).isNotEmptyFile();
    RunConfig config = RunConfig.fromJson(Files.readString(work.resolve("run-config.json")));
    assertThat(config.uid()).isEqualTo(LocalRunConfig.stableUid("default", "two-experts"));
    assertThat(work.resolve("s3/runs/" + config.layout().clusterSizes())).isRegularFile();

    Run again = localRun(manifest, work);

    assertThat(again.exit).as(again.err).isZero();
    assertThat(again.out)
        .contains("partition: complete from an earlier run")
        .contains("training 0 of 3 tasks")
        .contains("expert-0: complete from an earlier run (step 30/30")
        .contains("router: complete from an earlier run (step 10/10");
    assertThat(Files.readString(work.resolve("attempt")).trim()).isEqualTo("2");
  }

  @Test
  void runsAgainstAnExistingS3EndpointWithTheCallersCredentials() throws Exception {
    Path manifest =
        TestManifests.write(
            dir, "run.yaml", TestManifests.edited("    steps: 30\n", "    steps: 10\n"));
    try (EmbeddedS3 s3 = new EmbeddedS3();
        ObjectStore store = new S3ObjectStore(s3.settings(), "runs")) {
      s3.createBucket("runs");
      Path work = dir.resolve("external");

      Run run =
          localRun(
              Archipelago.commandLine(s3.credentials()),
              manifest,
              work,
              "--s3-endpoint",
              s3.endpoint());

      assertThat(run.exit).as(run.err).isZero();
      assertThat(run.out).contains("object store " + s3.endpoint());
      RunConfig config = RunConfig.fromJson(Files.readString(work.resolve("run-config.json")));
      assertThat(config.storage().endpoint()).isEqualTo(s3.endpoint());
      assertThat(store.read(config.layout().clusterSizes())).isPresent();
      Progress router =
          ContractJson.read(
              store.read(config.layout().routerProgress()).orElseThrow(), Progress.class);
      assertThat(router.phase()).isEqualTo(ProgressPhase.Completed);
      assertThat(work.resolve("s3")).doesNotExist();
    }
  }

  @Test
  void aFailingTaskIsNamedWithTheEndOfItsLogAndNothingElseStarts() {
    Path manifest =
        TestManifests.write(
            dir,
            "missing.yaml",
            TestManifests.edited(
                "synthetic://shapes?samples=256&shardSize=64&seed=3",
                "s3://no-such-bucket/shapes/"));

    Run run = localRun(manifest, dir.resolve("failing"));

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err)
        .contains("task partition failed with exit code 1")
        .contains("last lines of " + dir.resolve("failing/logs/partition.log"))
        .contains("no-such-bucket");
    assertThat(run.out).doesNotContain("expert-0: started");
  }

  @Test
  void anInvalidManifestExitsWithBadConfigNamingTheField() {
    Path manifest =
        TestManifests.write(
            dir, "bad.yaml", TestManifests.edited("    topK: 2\n", "    topK: 5\n"));

    Run run = localRun(manifest, dir.resolve("work"));

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err).contains("invalid manifest").contains("spec.inference.topK");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  private record Run(int exit, String out, String err) {}

  private static Run localRun(Path manifest, Path work) {
    return localRun(Archipelago.commandLine(), manifest, work);
  }

  private static Run localRun(CommandLine cli, Path manifest, Path work, String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> args =
        new ArrayList<>(
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
    args.addAll(List.of(more));
    int exit = cli.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }
}
