package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.cli.Archipelago;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.latent.ShippedAutoencoder;
import dev.archipelago.trainer.local.InProcessLocalRun.Run;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A latent run end to end through {@code local run}: the encode stage runs the shipped TorchScript
 * autoencoder's encoder over 32 px shapes, the partition and the experts work on 4 × 8 × 8 latents
 * that hold no images, and serving decodes the sampled latents into 32 px images.
 */
class LatentLocalRunIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void encodesTrainsOnLatentsAndServesDecodedImages() throws Exception {
    Path encoder = ShippedAutoencoder.encoder(dir);
    Path decoder = ShippedAutoencoder.decoder(dir);
    Path manifest =
        TestManifests.write(
            dir,
            "latent.yaml",
            TestManifests.edited(
                    "    imageSize: 16\n",
                    "    imageSize: 32\n"
                        + "    format: latents\n"
                        + "    latents: {channels: 4, size: 8, scalingFactor: 1.15}\n"
                        + "    encode: {encoderUri: '"
                        + encoder.toUri()
                        + "', batchSize: 32}\n")
                .replace(
                    "    samplingSteps: 4\n",
                    "    samplingSteps: 4\n    decoderUri: '" + decoder.toUri() + "'\n"));
    Path work = dir.resolve("work");

    Run first = InProcessLocalRun.run(Archipelago.commandLine(), manifest, work);

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("encode: done", "partition: done", "expert-0: done");
    assertThat(ImageIO.read(work.resolve("samples.png").toFile())).isNotNull();
    RunConfig config = RunConfig.fromJson(Files.readString(work.resolve("run-config.json")));
    Path bucket = work.resolve("s3/runs");
    assertThat(bucket.resolve(config.layout().encodeReport())).isRegularFile();
    assertThat(partsIn(bucket.resolve(config.layout().encodedShards())))
        .contains("latent.npy", "cls")
        .doesNotContain("png");
    assertThat(partsIn(bucket.resolve(config.layout().clusterShards(0))))
        .as("an expert's shards hold latents, not images")
        .contains("latent.npy")
        .doesNotContain("png");

    StringWriter serveOut = new StringWriter();
    CompletableFuture<Integer> serving = InProcessLocalRun.serve(serveOut, manifest, work);
    URI server = InProcessLocalRun.awaitServing(serveOut, serving);
    assertThat(serveOut.toString()).contains("encode: complete from an earlier run");
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(server.resolve("/v1/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"count\": 4, \"seed\": 2}"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    BufferedImage grid = ImageIO.read(new ByteArrayInputStream(response.body()));
    // 4 decoded images of 32 px (the latents are 8 px): 2 columns and 2 rows with 2 px gaps.
    assertThat(grid.getWidth()).isEqualTo(2 * 32 + 2);
    assertThat(grid.getHeight()).isEqualTo(2 * 32 + 2);
    assertThat(distinctColours(grid)).as("decoded images, not a flat fill").isGreaterThan(16);
    ProcessHandle.current().children().forEach(ProcessHandle::destroy);
    assertThat(serving.get(60, TimeUnit.SECONDS)).isZero();
  }

  /** The part names (extensions) of every sample in the shards under {@code folder}. */
  private static Set<String> partsIn(Path folder) throws Exception {
    Set<String> parts = new TreeSet<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path shard : files.filter(f -> f.toString().endsWith(".tar")).toList()) {
        try (InputStream in = Files.newInputStream(shard);
            TarSampleReader reader =
                new TarSampleReader(in, shard.toString(), new SkippedSamples())) {
          for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
            parts.addAll(raw.parts().keySet());
          }
        }
      }
    }
    return parts;
  }

  private static long distinctColours(BufferedImage image) {
    Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
