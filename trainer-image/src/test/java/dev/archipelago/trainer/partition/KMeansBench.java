package dev.archipelago.trainer.partition;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The partition's clustering on the rows bench/kmeans_faiss.py generated: {@link TwoStageKMeans}
 * (mini-batch fine k-means for ITER epochs, the assignment pass, the weighted K-means), its wall
 * time and the process's peak RSS. Not a test; run by bench/run-kmeans-bench.sh, which runs faiss
 * on the same file. Arguments: {@code FILE N D FINE K ITER SEED}.
 */
public final class KMeansBench {
  private KMeansBench() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    int d = Integer.parseInt(args[2]);
    int fine = Integer.parseInt(args[3]);
    int k = Integer.parseInt(args[4]);
    int iterations = Integer.parseInt(args[5]);
    long seed = Long.parseLong(args[6]);
    FeatureRows rows = mapped(file, n, d);
    long start = System.nanoTime();
    TwoStageKMeans.Result result =
        new TwoStageKMeans(new MiniBatchKMeans(1024, iterations, 100)).fit(rows, fine, k, seed);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "RESULT archipelago two-stage k-means %.1f s (fine %d epochs + assignment + coarse),"
            + " fine inertia %.4g, cluster sizes %s, peak RSS %d MiB%n",
        seconds,
        iterations,
        result.fineInertia() / n,
        java.util.Arrays.toString(result.clusterSizes()),
        peakRssMib());
  }

  /** The file's rows, memory-mapped (the partition reads its scratch feature file the same way). */
  private static FeatureRows mapped(Path file, int n, int d) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FloatBuffer all =
          channel
              .map(FileChannel.MapMode.READ_ONLY, 0, (long) n * d * Float.BYTES)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer();
      return new FeatureRows() {
        @Override
        public int size() {
          return n;
        }

        @Override
        public int dimension() {
          return d;
        }

        @Override
        public void read(int row, float[] into) {
          all.get(row * d, into, 0, d);
        }
      };
    }
  }

  private static long peakRssMib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
