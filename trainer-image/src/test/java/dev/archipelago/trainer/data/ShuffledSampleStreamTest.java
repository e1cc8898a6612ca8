package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShuffledSampleStreamTest {
  private static final int IMAGE_SIZE = 8;
  @TempDir Path dir;

  @Test
  void visitsEverySampleOncePerEpochInAnOrderThatChangesBetweenEpochs() throws IOException {
    TestShards.shapes(dir, 30, IMAGE_SIZE, 7);
    ShuffledSampleStream stream = open(11, DataCursor.START);

    List<String> first = keys(stream, 30);
    assertThat(stream.cursor().epoch()).isZero();
    List<String> second = keys(stream, 30);

    assertThat(first).doesNotHaveDuplicates().hasSize(30);
    assertThat(second).containsExactlyInAnyOrderElementsOf(first);
    assertThat(second).isNotEqualTo(first);
    assertThat(first).isNotEqualTo(first.stream().sorted().toList());
    assertThat(stream.cursor().epoch()).isEqualTo(1);
  }

  @Test
  void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() throws IOException {
    TestShards.shapes(dir, 20, IMAGE_SIZE, 6);

    List<String> a = keys(open(3, DataCursor.START), 45);
    List<String> b = keys(open(3, DataCursor.START), 45);
    List<String> c = keys(open(4, DataCursor.START), 45);

    assertThat(a).isEqualTo(b);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void aRestoredCursorContinuesTheExactSequence() throws IOException {
    TestShards.shapes(dir, 20, IMAGE_SIZE, 6);
    ShuffledSampleStream straight = open(5, DataCursor.START);
    keys(straight, 27);
    DataCursor saved = straight.cursor();
    List<Sample> expected = straight.nextBatch(25);

    List<Sample> resumed = open(5, saved).nextBatch(25);

    assertThat(resumed).extracting(Sample::key).isEqualTo(keys(expected));
    for (int i = 0; i < expected.size(); i++) {
      assertThat(resumed.get(i).pixels()).isEqualTo(expected.get(i).pixels());
    }
  }

  @Test
  void aCorruptImageAndANonImageFileAreSkippedAndCountedNeverFatal() throws IOException {
    TestShards.shard(dir, "part-0.tar")
        .image("good-1", 1)
        .part("corrupt", "png", "this is not a png".getBytes(StandardCharsets.UTF_8))
        .part("corrupt", "cls", "2".getBytes(StandardCharsets.UTF_8))
        .part("notes", "txt", "a stray text file".getBytes(StandardCharsets.UTF_8))
        .image("good-2", 2)
        .part("badlabel", "png", TestShards.png(4, 4, java.awt.Color.RED))
        .part("badlabel", "cls", "cat".getBytes(StandardCharsets.UTF_8))
        .write();
    // A PNG whose bytes are cut short: the header parses, the pixel data does not.
    byte[] png = TestShards.png(16, 16, java.awt.Color.BLUE);
    TestShards.shard(dir, "part-1.tar")
        .part("cut-png", "png", Arrays.copyOf(png, png.length / 2))
        .image("good-3", 3)
        .write();
    ShuffledSampleStream stream = open(1, DataCursor.START);

    List<Sample> samples = stream.nextBatch(6);

    assertThat(samples)
        .extracting(Sample::key)
        .containsOnly("good-1", "good-2", "good-3")
        .hasSize(6);
    SkippedSamples skipped = stream.skipped();
    // Two epochs were read (6 good samples, 3 per epoch), so each bad sample counted twice.
    assertThat(skipped.count(SkipReason.UNDECODABLE_IMAGE)).isEqualTo(4);
    assertThat(skipped.count(SkipReason.NO_IMAGE)).isEqualTo(2);
    assertThat(skipped.count(SkipReason.BAD_LABEL)).isEqualTo(2);
    assertThat(skipped.total()).isEqualTo(8);
  }

  @Test
  void aTruncatedShardYieldsItsIntactSamplesAndTheRestOfTheDataSet() throws IOException {
    TestShards.shapes(dir, 12, IMAGE_SIZE, 6);
    Path broken = dir.resolve("shapes-000001.tar");
    byte[] bytes = Files.readAllBytes(broken);
    Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
    ShuffledSampleStream stream = open(2, DataCursor.START);

    List<String> epoch = new ArrayList<>();
    long truncatedInEpoch = 0;
    while (true) {
      String key = stream.next().key();
      if (stream.cursor().epoch() > 0) {
        break;
      }
      epoch.add(key);
      truncatedInEpoch = stream.skipped().count(SkipReason.TRUNCATED_ENTRY);
    }

    assertThat(truncatedInEpoch).isEqualTo(1);
    assertThat(epoch).doesNotHaveDuplicates();
    assertThat(epoch.stream().filter(k -> k.compareTo("00000006") < 0)).hasSize(6);
    assertThat(epoch.size()).isBetween(7, 11);
  }

  @Test
  void samplesAreCenterCroppedRgbInMinusOneToOneWithTheirLabel() throws IOException {
    TestShards.shard(dir, "a.tar")
        .part("wide", "png", TestShards.png(40, 20, new java.awt.Color(255, 0, 128)))
        .part("wide", "cls", "4\n".getBytes(StandardCharsets.US_ASCII))
        .write();

    Sample s = open(0, DataCursor.START).next();

    assertThat(s.pixels()).hasSize(3 * IMAGE_SIZE * IMAGE_SIZE);
    assertThat(s.label()).isEqualTo(OptionalInt.of(4));
    int plane = IMAGE_SIZE * IMAGE_SIZE;
    assertThat(s.pixels()[0]).isEqualTo(1f);
    assertThat(s.pixels()[plane]).isEqualTo(-1f);
    assertThat(s.pixels()[2 * plane])
        .isCloseTo(128 / 127.5f - 1, org.assertj.core.data.Offset.offset(1e-6f));
  }

  private ShuffledSampleStream open(long seed, DataCursor cursor) throws IOException {
    return new ShuffledSampleStream(
        new LocalShardDirectory(dir), ImageFormat.rgb(IMAGE_SIZE), seed, true, cursor);
  }

  private static List<String> keys(ShuffledSampleStream stream, int n) {
    return keys(stream.nextBatch(n));
  }

  private static List<String> keys(List<Sample> samples) {
    return samples.stream().map(Sample::key).toList();
  }
}
