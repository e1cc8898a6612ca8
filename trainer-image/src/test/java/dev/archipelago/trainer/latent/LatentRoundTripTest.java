package dev.archipelago.trainer.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.SampleDecoder;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java side of the VAE through DJL with the shipped TorchScript autoencoder: shapes images the
 * model never saw encode to 4 × 8 × 8 latents and decode back close to the originals, and the
 * scaling factor is undone before decoding.
 */
class LatentRoundTripTest {
  private static final ImageFormat IMAGES = ImageFormat.rgb(ShippedAutoencoder.IMAGE_SIZE);
  private static final double SCALE = 0.5;

  @TempDir Path dir;

  @Test
  void imagesSurviveTheEncoderAndDecoderAndTheScalingIsUndone() throws Exception {
    List<Sample> images = unseenShapes(32);
    LatentShape shape =
        new LatentShape(ShippedAutoencoder.LATENT_CHANNELS, ShippedAutoencoder.LATENT_SIZE, SCALE);
    try (LatentEncoder encoder =
            new LatentEncoder(ShippedAutoencoder.encoder(dir), "encoder", IMAGES, shape);
        LatentDecoder decoder =
            new LatentDecoder(ShippedAutoencoder.decoder(dir), "decoder", shape, IMAGES)) {
      float[][] latents = encoder.encode(images);
      assertThat(latents).hasNumberOfRows(images.size());
      assertThat(latents[0]).hasSize(shape.values());

      // Experts produce scaled latents; the decoder divides by the factor first.
      float[] scaled = new float[images.size() * shape.values()];
      for (int i = 0; i < images.size(); i++) {
        for (int j = 0; j < shape.values(); j++) {
          scaled[i * shape.values() + j] = (float) (latents[i][j] * SCALE);
        }
      }
      float[] decoded = decoder.decode(scaled, images.size());

      double error = 0;
      double variance = 0;
      double mean = 0;
      for (int i = 0; i < images.size(); i++) {
        for (int j = 0; j < IMAGES.values(); j++) {
          mean += images.get(i).pixels()[j];
        }
      }
      mean /= (double) images.size() * IMAGES.values();
      for (int i = 0; i < images.size(); i++) {
        float[] original = images.get(i).pixels();
        for (int j = 0; j < IMAGES.values(); j++) {
          double d = decoded[i * IMAGES.values() + j] - original[j];
          error += d * d;
          variance += (original[j] - mean) * (original[j] - mean);
        }
      }
      // Reconstruction explains almost all of the images' variance (the model's held-out MSE is
      // about 0.002 on values in [-1, 1]).
      assertThat(error / variance).as("unexplained fraction of variance").isLessThan(0.05);
    }
  }

  @Test
  void anEncoderOfTheWrongLatentShapeIsNamedWithWhatItReturned() throws Exception {
    LatentShape wrong = new LatentShape(8, 8, 1.0);
    try (LatentEncoder encoder =
        new LatentEncoder(ShippedAutoencoder.encoder(dir), "encoder.pt", IMAGES, wrong)) {
      assertThatThrownBy(() -> encoder.encode(unseenShapes(2)))
          .hasMessageContaining("encoder.pt returned [2, 4, 8, 8]")
          .hasMessageContaining("spec.dataset.latents asks for [2, 8");
    }
  }

  /** Shapes from a seed the autoencoder was not trained on (it saw seed 7). */
  private List<Sample> unseenShapes(int count) throws Exception {
    Path shards = dir.resolve("shapes");
    new ShapesDatasetGenerator(11)
        .generate(count, IMAGES.size(), count, new LocalShardDirectory(shards));
    LocalShardDirectory source = new LocalShardDirectory(shards);
    SampleDecoder decoder = new SampleDecoder(IMAGES, null);
    List<Sample> out = new ArrayList<>();
    for (String shard : source.listShards()) {
      try (InputStream in = source.open(shard);
          TarSampleReader reader = new TarSampleReader(in, shard, new SkippedSamples())) {
        for (RawSample raw = reader.next(); raw != null; raw = reader.next()) {
          out.add(decoder.decode(raw).sample());
        }
      }
    }
    return out;
  }
}
