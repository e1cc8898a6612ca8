package dev.archipelago.trainer.cli;

import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.shapes.ShapeKind;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.storage.S3Settings;
import dev.archipelago.trainer.storage.S3Uri;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code archipelago generate-dataset shapes}: the procedurally drawn shapes data set. */
@Command(
    name = "shapes",
    mixinStandardHelpOptions = true,
    description = {
      "Draw images of shapes (circle, square, triangle, cross, ring) in several colours and sizes"
          + " on several backgrounds, and write them as WebDataset shards"
          + " shapes-NNNNNN.tar holding <key>.png, <key>.cls and <key>.json.",
      "The class label (.cls) is the shape kind: 0 circle, 1 square, 2 triangle, 3 cross, 4 ring."
          + " The .json holds every generating factor. The output depends only on the options."
    })
final class GenerateShapesCommand extends EnvironmentCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--count",
      defaultValue = "10000",
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(
      names = "--image-size",
      defaultValue = "32",
      description = "Side of the square images in pixels (default: ${DEFAULT-VALUE}).")
  int imageSize;

  @Option(
      names = "--shard-size",
      defaultValue = "1000",
      description = "Images per tar shard (default: ${DEFAULT-VALUE}).")
  int shardSize;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed; the same seed writes the same bytes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--output",
      required = true,
      description =
          "Where to write the shards: a local directory (created if missing) or"
              + " s3://bucket/prefix/ (endpoint from --s3-endpoint or $ARCHIPELAGO_S3_ENDPOINT,"
              + " credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).")
  String output;

  @Option(
      names = "--s3-endpoint",
      description = "S3 endpoint URL for an s3:// output, e.g. http://minio:9000.")
  String s3Endpoint;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || imageSize < 4 || shardSize < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count and --shard-size must be >= 1 and --image-size >= 4");
    }
    ShapesDatasetGenerator.Summary summary;
    if (S3Uri.isS3(output)) {
      S3Uri target = S3Uri.parse(output);
      try (S3Buckets buckets = new S3Buckets(S3Settings.fromEnv(s3Endpoint, env()))) {
        summary =
            new ShapesDatasetGenerator(seed)
                .generate(
                    count,
                    imageSize,
                    shardSize,
                    new ObjectStoreShards(buckets.forBucket(target.bucket()), target.prefix()));
      }
    } else if (output.contains("://")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--output must be a directory or s3://bucket/prefix/: " + output);
    } else {
      summary =
          new ShapesDatasetGenerator(seed)
              .generate(count, imageSize, shardSize, new LocalShardDirectory(Path.of(output)));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "wrote %d images (%dx%d) in %d shards to %s%n",
        summary.samples(), imageSize, imageSize, summary.shards(), output);
    out.printf(
        "images per class %s: %s%n",
        Arrays.toString(ShapeKind.values()).toLowerCase(),
        Arrays.toString(summary.samplesPerClass()));
    out.flush();
    return 0;
  }
}
