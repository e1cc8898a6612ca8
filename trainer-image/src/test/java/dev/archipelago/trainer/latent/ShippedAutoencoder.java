package dev.archipelago.trainer.latent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The autoencoder the tests use, trained on 32 px shapes and committed as TorchScript
 * (src/test/resources/vae, written by src/test/python/make_shapes_autoencoder.py): 3 × 32 × 32
 * images to 4 × 8 × 8 latents and back.
 */
public final class ShippedAutoencoder {
  public static final int IMAGE_SIZE = 32;
  public static final int LATENT_CHANNELS = 4;
  public static final int LATENT_SIZE = 8;

  private ShippedAutoencoder() {}

  /** Copies the encoder into {@code dir}; returns its path. */
  public static Path encoder(Path dir) {
    return copy("shapes-encoder.pt", dir);
  }

  /** Copies the decoder into {@code dir}; returns its path. */
  public static Path decoder(Path dir) {
    return copy("shapes-decoder.pt", dir);
  }

  private static Path copy(String name, Path dir) {
    Path file = dir.resolve(name);
    try (InputStream in = ShippedAutoencoder.class.getResourceAsStream("/vae/" + name)) {
      assertThat(in).as("test resource vae/" + name).isNotNull();
      Files.copy(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
