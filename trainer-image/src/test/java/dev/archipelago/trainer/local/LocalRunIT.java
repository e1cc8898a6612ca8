package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.ProgressPhase;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.cli.Archipelago;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.local.InProcessLocalRun.Run;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code local run} end to end on a tiny manifest: real child JVMs train with DJL against the
 * embedded S3 server, the inference server draws samples.png, and a rerun with {@code --serve}
 * trains nothing and answers {@code /v1/generate} for every strategy.
 */
class LocalRunIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String[] TASKS = {"expert-0", "expert-1", "router"};

  @TempDir Path dir;

  @Test
  void trainsEveryTaskAndLeavesLogsLossRecordsAndPlotsThenARerunHasNothingToDo() throws Exception {
    Path manifest = TestManifests.write(dir, "run.yaml", TestManifests.twoExperts());
    Path work = dir.resolve("work");

    Run first = localRun(manifest, work);

    assertThat(first.exit()).as(first.err()).isZero();
    BufferedImage samples = ImageIO.read(work.resolve("samples.png").toFile());
    assertThat(samples).as("samples.png").isNotNull();
    assertThat(first.out()).contains("samples.png");
    assertThat(first.out())
        .contains("ignoring ComputeIsland test-pool", "ignoring Secret test-s3")
        .contains("partition: done", "expert-0: done", "expert-1: done", "router: done")
        .contains("router held-out accuracy: t=1.0")
        .contains("total wall time");
    for (String task : TASKS) {
      assertThat(first.out()).containsPattern("(?m)^" + task + " +\\d+ +\\d+/\\d+ +\\d+\\.\\d{4} ");
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

    StringWriter serveOut = new StringWriter();
    CompletableFuture<Integer> serving = InProcessLocalRun.serve(serveOut, manifest, work);
    URI server = InProcessLocalRun.awaitServing(serveOut, serving);
    String again = serveOut.toString();
    assertThat(again)
        .contains("partition: complete from an earlier run")
        .contains("training 0 of 3 tasks")
        .contains("expert-0: complete from an earlier run (step 30/30")
        .contains("router: complete from an earlier run (step 10/10");
    assertThat(Files.readString(work.resolve("attempt")).trim()).isEqualTo("2");
    for (String body :
        List.of(
            "{\"strategy\": \"top1\"",
            "{\"strategy\": \"topk\", \"topK\": 2",
            "{\"strategy\": \"full\"",
            "{\"strategy\": \"sample\"",
            "{\"expert\": 0")) {
      HttpResponse<byte[]> response =
          HTTP.send(
              HttpRequest.newBuilder(server.resolve("/v1/generate"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          body + ", \"count\": 5, \"steps\": 4, \"seed\": 1}"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as(body).isEqualTo(200);
      BufferedImage grid = ImageIO.read(new ByteArrayInputStream(response.body()));
      // 5 images of 16 px: 3 columns and 2 rows with 2 px gaps.
      assertThat(grid.getWidth()).as(body).isEqualTo(3 * 16 + 2 * 2);
      assertThat(grid.getHeight()).as(body).isEqualTo(2 * 16 + 2);
    }
    stopServer();
    assertThat(serving.get(60, TimeUnit.SECONDS)).isZero();
  }

  /**
   * Ends {@code --serve} as the server's exit would: once training is over its only child process
   * is the server (matched as the child, since a long class path truncates command lines).
   */
  private static void stopServer() {
    ProcessHandle.current().children().forEach(ProcessHandle::destroy);
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
              s3.endpoint(),
              "--no-samples");

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("object store " + s3.endpoint());
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
  void readsShardsFromALocalDirectory() throws Exception {
    Path shards = dir.resolve("my-shards");
    new ShapesDatasetGenerator(3).generate(256, 16, 64, new LocalShardDirectory(shards));
    Path manifest =
        TestManifests.write(
            dir,
            "local-data.yaml",
            TestManifests.edited(
                    "synthetic://shapes?samples=256&shardSize=64&seed=3", shards.toUri().toString())
                .replace("    steps: 30\n", "    steps: 10\n"));

    Run run = localRun(manifest, dir.resolve("local-data"), "--no-samples");

    assertThat(run.exit()).as(run.err()).isZero();
    RunConfig config =
        RunConfig.fromJson(Files.readString(dir.resolve("local-data/run-config.json")));
    assertThat(config.dataset().getUri()).startsWith("file:/");
    // The partition read the user's directory and wrote each cluster's shards from it.
    assertThat(Files.readString(dir.resolve("local-data/logs/partition.log")))
        .contains(shards.toString());
  }

  @Test
  void aOneExpertMonolithTrainsWithoutARouterAndDrawsItsSamples() throws Exception {
    Path manifest =
        TestManifests.write(
            dir,
            "monolith.yaml",
            TestManifests.edited("    experts: 2\n", "    experts: 1\n")
                .replace("    strategy: topk\n    topK: 2\n", "    strategy: top1\n")
                .replace("    steps: 30\n", "    steps: 10\n"));
    Path work = dir.resolve("monolith");

    Run run = localRun(manifest, work);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("expert-0: done").doesNotContain("router: done");
    assertThat(ImageIO.read(work.resolve("samples.png").toFile())).isNotNull();
  }

  @Test
  void aNonexistentLocalDirectoryIsRefusedNamingTheField() {
    Path manifest =
        TestManifests.write(
            dir,
            "no-dir.yaml",
            TestManifests.edited(
                "synthetic://shapes?samples=256&shardSize=64&seed=3", "file:///no/such/dir/"));

    Run run = localRun(manifest, dir.resolve("no-dir"), "--no-samples");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("spec.dataset.uri").contains("/no/such/dir");
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

    Run run = localRun(manifest, dir.resolve("failing"), "--no-samples");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("task partition failed with exit code 1")
        .contains("last lines of " + dir.resolve("failing/logs/partition.log"))
        .contains("no-such-bucket");
    assertThat(run.out()).doesNotContain("expert-0: started");
  }

  @Test
  void anInvalidManifestExitsWithBadConfigNamingTheField() {
    Path manifest =
        TestManifests.write(
            dir, "bad.yaml", TestManifests.edited("    topK: 2\n", "    topK: 5\n"));

    Run run = localRun(manifest, dir.resolve("work"), "--no-samples");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("invalid manifest").contains("spec.inference.topK");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  private static Run localRun(Path manifest, Path work, String... extra) {
    return localRun(Archipelago.commandLine(), manifest, work, extra);
  }

  private static Run localRun(CommandLine cli, Path manifest, Path work, String... extra) {
    return InProcessLocalRun.run(cli, manifest, work, extra);
  }
}
