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

  @Test
  void latentsAndEmbeddingsSavedByNumpyThroughTheWebDatasetLibraryAreReadExactly()
      throws Exception {
    String python =
        lastLine(run(List.of("bash", repoRoot().resolve("hack/webdataset-python.sh").toString())));
    Path script = out.resolve("write_latent_shards.py");
    try (InputStream in = getClass().getResourceAsStream("/webdataset/write_latent_shards.py")) {
      Files.copy(in, script);
    }
    Path shards = out.resolve("latents");
    Map<String, Map<String, Object>> expected =
        new ObjectMapper()
            .readValue(
                lastLine(run(List.of(python, script.toString(), shards.toString()))),
                new TypeReference<>() {});
    assertThat(expected).hasSize(4);

    double scale = 0.5;
    SampleDecoder latents = SampleDecoder.latents("latent.npy", 4, 8, scale, "cls");
    SampleDecoder embeddings = SampleDecoder.vectors("emb.npy");
    SkippedSamples skipped = new SkippedSamples();
    Map<String, Sample> read = new LinkedHashMap<>();
    Map<String, float[]> vectors = new LinkedHashMap<>();
    String shard = "latents-000000.tar";
    try (InputStream in = Files.newInputStream(shards.resolve(shard));
        TarSampleReader reader = new TarSampleReader(in, shard, skipped)) {
      for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
        SampleDecoder.Result result = latents.decode(raw);
        if (result.sample() == null) {
          skipped.record(result.skipReason(), shard, raw.key(), result.detail());
        } else {
          read.put(raw.key(), result.sample());
          vectors.put(raw.key(), embeddings.decode(raw).sample().pixels());
        }
      }
    }
    assertThat(read).containsOnlyKeys(expected.keySet());
    for (Map.Entry<String, Map<String, Object>> want : expected.entrySet()) {
      Sample sample = read.get(want.getKey());
      assertThat(sample.label()).hasValue((Integer) want.getValue().get("label"));
      assertThat(sample.imageSize()).isEqualTo(8);
      assertThat(sample.channels()).isEqualTo(4);
      assertThat(sample.pixels()).as(want.getKey()).containsExactly(scaled(want, scale));
      assertThat(vectors.get(want.getKey()))
          .containsExactly(floats(want.getValue().get("embedding"), 1));
    }
    assertThat(skipped.count(SkipReason.BAD_TENSOR))
        .as("int8, [8, 8, 4], Fortran order and float64")
        .isEqualTo(4);
    assertThat(skipped.count(SkipReason.NO_TENSOR)).isEqualTo(1);
    assertThat(skipped.total()).isEqualTo(5);
  }

  private static float[] scaled(Map.Entry<String, Map<String, Object>> want, double scale) {
    return floats(want.getValue().get("latent"), (float) scale);
  }

  private static float[] floats(Object list, float scale) {
    List<?> values = (List<?>) list;
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue() * scale;
    }
    return out;
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
