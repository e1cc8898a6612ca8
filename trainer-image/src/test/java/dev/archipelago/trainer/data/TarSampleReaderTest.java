package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarSampleReaderTest {
  @TempDir Path dir;

  @Test
  void groupsConsecutiveEntriesOfOneKeyIntoASample() throws IOException {
    Path shard =
        TestShards.shard(dir, "a.tar")
            .image("k1", 1)
            .part("k1", "json", "{}".getBytes(StandardCharsets.UTF_8))
            .image("k2", 2)
            .write();

    List<RawSample> samples = readAll(Files.readAllBytes(shard), new SkippedSamples());

    assertThat(samples).extracting(RawSample::key).containsExactly("k1", "k2");
    assertThat(samples.get(0).parts()).containsOnlyKeys("png", "cls", "json");
  }

  @Test
  void aTruncatedArchiveKeepsTheSamplesBeforeTheBreakAndCountsTheBrokenOne() throws IOException {
    Path shard =
        TestShards.shard(dir, "a.tar")
            .image("k1", 1)
            .part("k2", "png", new byte[4000])
            .image("k3", 3)
            .write();
    byte[] whole = Files.readAllBytes(shard);
    // Cut inside k2's 4000-byte body: k1 occupies the first few 512-byte blocks.
    byte[] truncated = Arrays.copyOf(whole, indexOfEntry(whole, "k2.png") + 512 + 1000);
    SkippedSamples skipped = new SkippedSamples();

    List<RawSample> samples = readAll(truncated, skipped);

    assertThat(samples).extracting(RawSample::key).containsExactly("k1");
    assertThat(skipped.count(SkipReason.TRUNCATED_ENTRY)).isEqualTo(1);
  }

  private static List<RawSample> readAll(byte[] tar, SkippedSamples skipped) throws IOException {
    List<RawSample> out = new ArrayList<>();
    try (TarSampleReader reader =
        new TarSampleReader(new ByteArrayInputStream(tar), "a.tar", skipped)) {
      for (RawSample s = reader.next(); s != null; s = reader.next()) {
        out.add(s);
      }
    }
    return out;
  }

  private static int indexOfEntry(byte[] tar, String name) {
    byte[] needle = name.getBytes(StandardCharsets.US_ASCII);
    for (int block = 0; block + needle.length < tar.length; block += 512) {
      if (Arrays.equals(tar, block, block + needle.length, needle, 0, needle.length)) {
        return block;
      }
    }
    throw new AssertionError("no tar header for " + name);
  }
}
