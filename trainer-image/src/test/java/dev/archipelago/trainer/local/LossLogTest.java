package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossLogTest {
  @TempDir Path dir;

  @Test
  void appendsNewStepsOnceAndKeepsTheLaterValueOfARepeatedStep() throws Exception {
    Path csv = dir.resolve("expert-0.csv");
    LossLog log = new LossLog(csv);
    log.record(10, 1.5, 1);
    log.record(10, 1.5, 1);
    log.record(20, 1.2, 1);
    log.record(25, 1.1, 1);
    // Stopped at 25; a rerun resumes from the checkpoint of step 20 and repeats step 25.
    LossLog resumed = new LossLog(csv);
    resumed.record(22, 1.15, 2);
    resumed.record(25, 1.05, 2);
    resumed.record(30, 0.9, 2);

    assertThat(Files.readAllLines(csv)).hasSize(7).first().isEqualTo(LossLog.HEADER);
    assertThat(LossLog.read(csv))
        .containsExactly(
            entry(10L, 1.5), entry(20L, 1.2), entry(22L, 1.15), entry(25L, 1.05), entry(30L, 0.9));
  }

  @Test
  void readingACompletedTaskAgainAddsNothing() throws Exception {
    Path csv = dir.resolve("expert-1.csv");
    new LossLog(csv).record(30, 0.9, 1);
    new LossLog(csv).record(30, 0.9, 2);

    assertThat(Files.readAllLines(csv)).hasSize(2);
  }

  @Test
  void aMissingFileReadsEmptyAndATruncatedLineIsSkipped() throws Exception {
    assertThat(LossLog.read(dir.resolve("none.csv"))).isEmpty();

    Path csv = dir.resolve("cut.csv");
    Files.writeString(csv, LossLog.HEADER + "\n5,0.5,1\n6,0.");
    assertThat(LossLog.read(csv)).containsOnlyKeys(5L, 6L);
    Files.writeString(csv, LossLog.HEADER + "\n5,0.5,1\n6,");
    assertThat(LossLog.read(csv)).containsOnlyKeys(5L);
  }
}
