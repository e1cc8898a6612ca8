package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards pooled and shuffled together: batches mix shards written in class order, an expert whose
 * samples live in one shard of four trains on, resume stays exact with parallel decoding, and the
 * label is read from the part {@code spec.dataset.labelKey} names.
 */
class ShardGroupShuffleTest {
  private static final int SIZE = 8;
  @TempDir Path dir;

  @Test
  void batchesMixClassesWhenEachShardHoldsOneClass() throws IOException {
    for (int shard = 0; shard < 4; shard++) {
      TestShards.ShardBuilder b = TestShards.shard(dir, "part-" + shard + ".tar");
      for (int i = 0; i < 16; i++) {
        b.image("s" + shard + "-" + i, shard);
      }
      b.write();
    }
    int mixed = 0;
    int batches = 0;
    for (long seed = 0; seed < 10; seed++) {
      try (ShuffledSampleStream stream = open(seed, new LoaderOptions(4, 2), DataCursor.START)) {
        for (int b = 0; b < 8; b++) {
          long classes =
              stream.nextBatch(16).stream()
                  .mapToInt(s -> s.label().orElseThrow())
                  .distinct()
                  .count();
          mixed += classes >= 3 ? 1 : 0;
          batches++;
        }
      }
      // One shard at a time, as the first loader read: every batch holds one class.
      try (ShuffledSampleStream oneShard = open(seed, LoaderOptions.SEQUENTIAL, DataCursor.START)) {
        for (int b = 0; b < 8; b++) {
          assertThat(oneShard.nextBatch(16).stream().map(Sample::label).distinct()).hasSize(1);
        }
      }
    }
    System.out.printf("batches of 16 with at least 3 of 4 classes: %d of %d%n", mixed, batches);
    assertThat(mixed).isGreaterThanOrEqualTo(batches * 9 / 10);
  }

  @Test
  void samplesInOneShardOfFourAreFoundEveryEpochForManySeeds() throws IOException {
    for (int shard = 0; shard < 4; shard++) {
      TestShards.ShardBuilder b = TestShards.shard(dir, "part-" + shard + ".tar");
      for (int i = 0; i < 5; i++) {
        if (shard == 2) {
          b.image("member-" + i, 1);
        } else {
          b.part("other-" + i, "txt", "not an image".getBytes(StandardCharsets.UTF_8));
        }
      }
      b.write();
    }
    for (long seed = 0; seed < 40; seed++) {
      for (int group : new int[] {1, 2, 3}) {
        try (ShuffledSampleStream stream =
            open(seed, new LoaderOptions(group, 1), DataCursor.START)) {
          // Many epochs: each passes the three shards without a sample, across epoch boundaries.
          List<Sample> samples = stream.nextBatch(5 * 12);
          assertThat(samples).allMatch(s -> s.key().startsWith("member-"));
          assertThat(stream.cursor().epoch()).isGreaterThanOrEqualTo(10);
        }
      }
    }
  }

  @Test
  void aDataSetWithoutADecodableSampleIsAnErrorNotAHang() throws IOException {
    for (int shard = 0; shard < 3; shard++) {
      TestShards.shard(dir, "part-" + shard + ".tar")
          .part("x", "txt", "no image".getBytes(StandardCharsets.UTF_8))
          .write();
    }
    try (ShuffledSampleStream stream = open(1, new LoaderOptions(2, 2), DataCursor.START)) {
      assertThatThrownBy(stream::next).hasMessageContaining("found no decodable sample");
    }
  }

  @Test
  void aRestoredCursorContinuesExactlyWithGroupsAndParallelDecoding() throws IOException {
    TestShards.shapes(dir, 60, SIZE, 7);
    LoaderOptions options = new LoaderOptions(3, 4);
    List<Sample> expected;
    DataCursor saved;
    try (ShuffledSampleStream straight = open(9, options, DataCursor.START)) {
      straight.nextBatch(41);
      saved = straight.cursor();
      expected = straight.nextBatch(70);
    }
    try (ShuffledSampleStream resumed = open(9, options, saved)) {
      List<Sample> again = resumed.nextBatch(70);
      assertThat(again)
          .extracting(Sample::key)
          .isEqualTo(expected.stream().map(Sample::key).toList());
      for (int i = 0; i < again.size(); i++) {
        assertThat(again.get(i).pixels()).isEqualTo(expected.get(i).pixels());
      }
    }
    // The decode thread count never changes the sequence.
    try (ShuffledSampleStream oneThread = open(9, new LoaderOptions(3, 1), saved)) {
      assertThat(oneThread.nextBatch(70))
          .extracting(Sample::key)
          .isEqualTo(expected.stream().map(Sample::key).toList());
    }
  }

  @Test
  void theLabelComesFromThePartLabelKeyNames() throws IOException {
    TestShards.shard(dir, "a.tar")
        .part("k", "png", TestShards.png(8, 8, Color.GREEN))
        .part("k", "class", "7".getBytes(StandardCharsets.US_ASCII))
        .part("k", "cls", "3".getBytes(StandardCharsets.US_ASCII))
        .write();

    assertThat(decodeWith("class").label()).isEqualTo(OptionalInt.of(7));
    assertThat(decodeWith("cls").label()).isEqualTo(OptionalInt.of(3));
    assertThat(decodeWith(null).label()).as("unlabelled data").isEmpty();
  }

  private Sample decodeWith(String labelKey) throws IOException {
    try (ShuffledSampleStream stream =
        new ShuffledSampleStream(
            new LocalShardDirectory(dir),
            new SampleDecoder(ImageFormat.rgb(SIZE), labelKey),
            LoaderOptions.SEQUENTIAL,
            0,
            false,
            DataCursor.START,
            raw -> true)) {
      return stream.next();
    }
  }

  private ShuffledSampleStream open(long seed, LoaderOptions options, DataCursor cursor)
      throws IOException {
    return new ShuffledSampleStream(
        new LocalShardDirectory(dir),
        new SampleDecoder(ImageFormat.rgb(SIZE), "cls"),
        options,
        seed,
        true,
        cursor,
        raw -> true);
  }
}
