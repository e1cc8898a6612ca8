package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards as users write them: by the Python {@code webdataset} library (1.0.2, from PyPI, in a
 * cached environment built by hack/webdataset-python.sh) and by GNU tar and Python's tarfile in PAX
 * and GNU formats, with keys that contain directories, long names, .jpg/.jpeg/.JPEG/.png images,
 * .cls labels and .json/.npy parts beside them. Every decodable sample is read with its label; a
 * .webp-only sample (no decoder here) and a corrupt .jpg are skipped and counted, never fatal.
 */
class PythonWebDatasetShardsIT {
  @TempDir Path out;

  @Test
  void shardsWrittenByTheWebDatasetLibraryAndByTarAreReadAsTheyWereWritten() throws Exception {
    String python =
        lastLine(run(List.of("bash", repoRoot().resolve("hack/webdataset-python.sh").toString())));
    Path script = out.resolve("write_shards.py");
    try (InputStream in = getClass().getResourceAsStream("/webdataset/write_shards.py")) {
      Files.copy(in, script);
    }
    Path shards = out.resolve("shards");
    Map<String, Map<String, Integer>> expected =
        new ObjectMapper()
            .readValue(
                lastLine(run(List.of(python, script.toString(), shards.toString()))),
                new TypeReference<>() {});
    assertThat(expected).containsOnlyKeys("wds-000000.tar", "pax.tar", "gnu.tar", "pytar-pax.tar");

    SampleDecoder decoder = new SampleDecoder(ImageFormat.rgb(16), "cls");
    for (Map.Entry<String, Map<String, Integer>> shard : expected.entrySet()) {
      SkippedSamples skipped = new SkippedSamples();
      Map<String, Integer> read = new LinkedHashMap<>();
      try (InputStream in = Files.newInputStream(shards.resolve(shard.getKey()));
          TarSampleReader reader = new TarSampleReader(in, shard.getKey(), skipped)) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          SampleDecoder.Result result = decoder.decode(raw);
          if (result.sample() == null) {
            skipped.record(result.skipReason(), shard.getKey(), raw.key(), result.detail());
          } else {
            read.put(raw.key(), result.sample().label().orElseThrow());
          }
        }
      }
      assertThat(read).as(shard.getKey()).isEqualTo(shard.getValue());
      if (shard.getKey().startsWith("wds")) {
        assertThat(skipped.count(SkipReason.NO_IMAGE)).as("the .webp-only sample").isEqualTo(1);
        assertThat(skipped.count(SkipReason.UNDECODABLE_IMAGE)).as("the corrupt .jpg").isEqualTo(1);
        assertThat(skipped.total()).isEqualTo(2);
      } else {
        assertThat(skipped.total()).as(shard.getKey()).isZero();
      }
    }
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("hack"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no hack/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(
          command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
