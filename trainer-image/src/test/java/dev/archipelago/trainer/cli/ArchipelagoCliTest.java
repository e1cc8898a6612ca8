package dev.archipelago.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.trainer.data.LocalShardDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ArchipelagoCliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void generateDatasetShapesWritesTheRequestedShards() throws IOException {
    int exit =
        run(
            "generate-dataset",
            "shapes",
            "--count",
            "12",
            "--image-size",
            "16",
            "--shard-size",
            "5",
            "--seed",
            "3",
            "--output",
            dir.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(new LocalShardDirectory(dir).listShards()).hasSize(3);
    assertThat(out.toString()).contains("wrote 12 images (16x16) in 3 shards");
  }

  @Test
  void helpListsTheCommandsAndTheirOptions() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("generate-dataset", "task", "partition", "train-expert", "train-router", "local");

    assertThat(run("local", "run", "--help")).isZero();
    assertThat(out.toString())
        .contains("--file", "--work-dir", "--parallel", "--s3-endpoint", "--no-samples", "--serve");

    assertThat(run("generate-dataset", "shapes", "--help")).isZero();
    assertThat(out.toString())
        .contains("--count", "--image-size", "--shard-size", "--seed", "--output");
  }

  @Test
  void anOutputThatIsNeitherADirectoryNorS3IsAUsageError() {
    // s3:// output is covered against a real S3 server in S3StorageTest.
    int exit = run("generate-dataset", "shapes", "--output", "gs://bucket/shapes");

    assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("s3://bucket/prefix/");
  }

  private int run(String... args) {
    CommandLine cli = Archipelago.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }
}
