package dev.archipelago.trainer.latent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.ShardSource;
import dev.archipelago.trainer.data.SkipReason;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.data.WebDatasetShardWriter;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.storage.InMemoryObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encode stage with the shipped TorchScript autoencoder: latent shards of the same names, the
 * encoder's latents as .npy beside the labels, images dropped unless kept, a corrupt image skipped
 * and counted, and a stopped encode finished by a rerun that encodes only the missing shards.
 */
class EncodeJobTest {
  private static final ImageFormat IMAGES = ImageFormat.rgb(ShippedAutoencoder.IMAGE_SIZE);
  private static final LatentShape LATENTS =
      new LatentShape(ShippedAutoencoder.LATENT_CHANNELS, ShippedAutoencoder.LATENT_SIZE, 1.0);

  @TempDir Path dir;

  @Test
  void writesALatentShardPerSourceShardAndAStoppedEncodeResumesWithTheMissingOnes()
      throws Exception {
    LocalShardDirectory source = shapesWithOneCorruptImage();
    InMemoryObjectStore store = new InMemoryObjectStore();
    ObjectStoreShards target = new ObjectStoreShards(store, "encode/shards/");
    try (LatentEncoder encoder =
        new LatentEncoder(ShippedAutoencoder.encoder(dir), "encoder", IMAGES, LATENTS)) {
      EncodeJob job =
          new EncodeJob(encoder, new SampleDecoder(IMAGES, null), "latent.npy", false, 8, 2);
      AtomicInteger checks = new AtomicInteger();

      EncodeJob.Report stopped = job.run(source, target, () -> checks.incrementAndGet() > 2);

      assertThat(stopped).as("stopped after two shards").isNull();
      assertThat(target.listShards()).hasSize(2);

      EncodeJob.Report resumed = job.run(source, target, () -> false);

      assertThat(resumed.shards()).isEqualTo(5);
      assertThat(resumed.shardsReused()).isEqualTo(2);
      assertThat(resumed.samples())
          .as("2 shards of 16; the fifth holds one corrupt sample")
          .isEqualTo(32);
      assertThat(resumed.skipped()).containsEntry(SkipReason.UNDECODABLE_IMAGE, 1L);
      assertThat(target.listShards()).isEqualTo(source.listShards());

      // Every latent is the encoder's output for its image, and the images are gone.
      List<RawSample> written = read(target, "shapes-000003.tar");
      List<Sample> originals = decode(read(source, "shapes-000003.tar"));
      assertThat(written).hasSize(16);
      float[][] expected = encoder.encode(originals);
      SampleDecoder latents =
          SampleDecoder.latents("latent.npy", LATENTS.channels(), LATENTS.size(), 1.0, "cls");
      for (int i = 0; i < written.size(); i++) {
        RawSample raw = written.get(i);
        assertThat(raw.parts()).containsOnlyKeys("latent.npy", "cls", "json");
        Sample latent = latents.decode(raw).sample();
        assertThat(latent.pixels()).containsExactly(expected[i]);
        assertThat(latent.label()).isPresent();
      }
    }
  }

  @Test
  void keepsTheImagesWhenThePartitionClustersOnThem() throws Exception {
    LocalShardDirectory source = shapesWithOneCorruptImage();
    ObjectStoreShards target = new ObjectStoreShards(new InMemoryObjectStore(), "encoded/");
    try (LatentEncoder encoder =
        new LatentEncoder(ShippedAutoencoder.encoder(dir), "encoder", IMAGES, LATENTS)) {
      new EncodeJob(encoder, new SampleDecoder(IMAGES, null), "latent.npy", true, 8, 1)
          .run(source, target, () -> false);
    }

    assertThat(read(target, "shapes-000000.tar"))
        .allSatisfy(raw -> assertThat(raw.parts()).containsKeys("png", "latent.npy", "cls"));
  }

  /** 4 shards of 16 shapes, and a fifth whose one sample is not a PNG. */
  private LocalShardDirectory shapesWithOneCorruptImage() throws Exception {
    LocalShardDirectory source = new LocalShardDirectory(dir.resolve("images"));
    new ShapesDatasetGenerator(5).generate(64, IMAGES.size(), 16, source);
    try (OutputStream out = source.create("shapes-000004.tar");
        WebDatasetShardWriter writer = new WebDatasetShardWriter(out)) {
      writer.write(
          "broken",
          Map.of(
              "png", "not a png".getBytes(StandardCharsets.UTF_8),
              "cls", "1".getBytes(StandardCharsets.UTF_8)));
    }
    return source;
  }

  private static List<RawSample> read(ShardSource source, String shard) throws Exception {
    List<RawSample> out = new ArrayList<>();
    try (InputStream in = source.open(shard);
        TarSampleReader reader = new TarSampleReader(in, shard, new SkippedSamples())) {
      for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
        out.add(raw);
      }
    }
    return out;
  }

  private static List<Sample> decode(List<RawSample> raws) {
    SampleDecoder decoder = new SampleDecoder(IMAGES, null);
    return raws.stream().map(r -> decoder.decode(r).sample()).toList();
  }
}
