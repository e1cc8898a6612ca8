package dev.archipelago.trainer.bench;

import dev.archipelago.api.spec.FeatureNormalization;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.partition.DatasetScan;
import dev.archipelago.trainer.partition.TorchScriptFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The partition's TorchScript feature path on this machine: a DINOv2-S/14-shaped encoder (written
 * by bench/vit_encoder.py, which also measured eager PyTorch on it) over 256 px JPEG shards decoded
 * at 224 px with ImageNet statistics. Prints, as {@code RESULT} lines: the encoder alone through
 * DJL (and its ratio to PyTorch's rate, same batch and threads), decoding alone, and the whole scan
 * with decoding overlapped with the encoder. Run by bench/run-feature-bench.sh.
 */
public final class FeatureBench {
  private static final ImageFormat INPUT = ImageFormat.rgb(224);

  private FeatureBench() {}

  public static void main(String[] args) throws Exception {
    Path encoder = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    int images = Integer.parseInt(args[3]);
    double torchRate = Double.parseDouble(args[4]);
    Path dir = Files.createTempDirectory("feature-bench-");
    JpegShards.write(dir, images, 256, 64);
    LocalShardDirectory shards = new LocalShardDirectory(dir);
    SampleDecoder decoder = new SampleDecoder(INPUT, "cls");
    try (TorchScriptFeatures features =
        new TorchScriptFeatures(encoder, INPUT, FeatureNormalization.IMAGENET, "vit-s14")) {
      List<Sample> first = new ArrayList<>();
      new DatasetScan(shards, decoder, batch, threads)
          .run(
              List.of(shards.listShards().get(0)),
              b -> {
                if (first.isEmpty()) {
                  first.addAll(b);
                }
              });
      features.extract(first);
      int rounds = 3;
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        features.extract(first);
      }
      double djlRate = rounds * first.size() / seconds(start);
      System.out.printf(
          "RESULT encoder alone, batch %d, %d threads: DJL %.2f features/s, PyTorch %.2f,"
              + " ratio DJL/PyTorch %.2f%n",
          batch, threads, djlRate, torchRate, djlRate / torchRate);

      start = System.nanoTime();
      new DatasetScan(shards, decoder, batch, threads).run(b -> {});
      double decodeRate = images / seconds(start);
      System.out.printf(
          "RESULT decode alone, 256 px JPEG to 224 px, %d threads: %.1f images/s%n",
          threads, decodeRate);

      start = System.nanoTime();
      new DatasetScan(shards, decoder, batch, threads).run(features::extract);
      double scanRate = images / seconds(start);
      System.out.printf(
          "RESULT whole scan (decode overlapped with the encoder), %d images: %.2f features/s,"
              + " %.2f of the encoder alone%n",
          images, scanRate, scanRate / djlRate);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
