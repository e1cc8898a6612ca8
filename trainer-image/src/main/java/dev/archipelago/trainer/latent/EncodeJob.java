package dev.archipelago.trainer.latent;

import dev.archipelago.trainer.data.NpyArray;
import dev.archipelago.trainer.data.ParallelDecoder;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkipReason;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.data.WebDatasetKeys;
import dev.archipelago.trainer.data.WebDatasetShardWriter;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encode stage: every source shard becomes a latent shard of the same name, each sample with
 * its label and other parts plus a float32 {@code .npy} latent under {@code latentPart}. The image
 * parts are dropped unless the partition still needs them (a TorchScript feature encoder).
 * Undecodable samples are skipped and counted. A shard is published only when complete, so a stop
 * or a crash loses at most the shard in progress, and a rerun encodes only the missing shards.
 */
public final class EncodeJob {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeJob.class);

  private final LatentEncoder encoder;
  private final SampleDecoder images;
  private final String latentPart;
  private final boolean keepImages;
  private final int batchSize;
  private final int threads;

  /** What an encode did, for its report and log. */
  public record Report(
      int shards, int shardsReused, long samples, Map<SkipReason, Long> skipped, double seconds) {}

  /**
   * @param images decodes the source images to the encoder's input
   * @param keepImages whether the latent shards keep the source images (for image features)
   */
  public EncodeJob(
      LatentEncoder encoder,
      SampleDecoder images,
      String latentPart,
      boolean keepImages,
      int batchSize,
      int threads) {
    this.encoder = encoder;
    this.images = images;
    this.latentPart = latentPart;
    this.keepImages = keepImages;
    this.batchSize = batchSize;
    this.threads = threads;
  }

  /**
   * Encodes every shard of {@code source} that {@code target} lacks.
   *
   * @param stopRequested checked between shards; true ends the encode early
   * @return the report, or null when stopped early
   */
  public Report run(ShardSource source, ObjectStoreShards target, BooleanSupplier stopRequested)
      throws IOException {
    long started = System.nanoTime();
    List<String> shards = source.listShards();
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no *.tar shards in " + source.describe());
    }
    Set<String> done = new HashSet<>(target.listShards());
    SkippedSamples skipped = new SkippedSamples();
    long samples = 0;
    int reused = 0;
    try (ParallelDecoder decoders = new ParallelDecoder(images, threads)) {
      for (String shard : shards) {
        if (done.contains(shard)) {
          reused++;
          continue;
        }
        if (stopRequested.getAsBoolean()) {
          LOG.warn("stop requested; {} of {} shards encoded", done.size(), shards.size());
          return null;
        }
        samples += encodeShard(source, shard, target, decoders, skipped);
        done.add(shard);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(
        "encoded {} samples of {} shards ({} from an earlier attempt) with {} in {} s; {} skipped",
        samples,
        shards.size(),
        reused,
        encoder.describe(),
        Math.round(seconds),
        skipped.total());
    return new Report(shards.size(), reused, samples, skipped.byReason(), seconds);
  }

  private long encodeShard(
      ShardSource source,
      String shard,
      ObjectStoreShards target,
      ParallelDecoder decoders,
      SkippedSamples skipped)
      throws IOException {
    long written = 0;
    try (OutputStream out = target.create(shard);
        WebDatasetShardWriter writer = new WebDatasetShardWriter(out)) {
      List<RawSample> raws = new ArrayList<>(batchSize);
      try (InputStream in = source.open(shard);
          TarSampleReader reader = new TarSampleReader(in, shard, skipped)) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          raws.add(raw);
          if (raws.size() == batchSize) {
            written += encodeBatch(raws, decoders, writer, skipped);
            raws.clear();
          }
        }
      } catch (UncheckedIOException e) {
        skipped.record(SkipReason.UNREADABLE_SHARD, shard, "*", e.toString());
      }
      written += encodeBatch(raws, decoders, writer, skipped);
    }
    return written;
  }

  private int encodeBatch(
      List<RawSample> raws,
      ParallelDecoder decoders,
      WebDatasetShardWriter writer,
      SkippedSamples skipped)
      throws IOException {
    if (raws.isEmpty()) {
      return 0;
    }
    List<SampleDecoder.Result> results = decoders.decodeAll(raws);
    List<RawSample> kept = new ArrayList<>(raws.size());
    List<Sample> decoded = new ArrayList<>(raws.size());
    for (int i = 0; i < raws.size(); i++) {
      SampleDecoder.Result result = results.get(i);
      if (result.sample() == null) {
        skipped.record(
            result.skipReason(), raws.get(i).shard(), raws.get(i).key(), result.detail());
      } else {
        kept.add(raws.get(i));
        decoded.add(result.sample());
      }
    }
    if (decoded.isEmpty()) {
      return 0;
    }
    float[][] latents = encoder.encode(decoded);
    int[] shape = encoder.latentShape();
    for (int i = 0; i < kept.size(); i++) {
      Map<String, byte[]> parts =
          new LinkedHashMap<>(
              keepImages ? kept.get(i).parts() : WebDatasetKeys.withoutImages(kept.get(i).parts()));
      parts.put(latentPart, new NpyArray(shape, latents[i]).toBytes());
      writer.write(kept.get(i).key(), parts);
    }
    return kept.size();
  }
}
