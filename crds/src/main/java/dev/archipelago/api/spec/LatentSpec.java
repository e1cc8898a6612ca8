package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The latent tensors of a {@code format: latents} data set: one {@code .npy} part per sample,
 * float16 or float32, shape [channels, size, size], as a VAE encoder wrote them (for Stable
 * Diffusion's VAE: 4 × 32 × 32 for 256 px images, scaling factor 0.18215).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LatentSpec {

  @Default("latent.npy")
  @Size(max = 64)
  @Pattern("^[A-Za-z0-9_.-]+$")
  @JsonPropertyDescription(
      "WebDataset part holding each sample's latent (everything after the key's first dot, for"
          + " example latent.npy for 000123.latent.npy). Default latent.npy.")
  private String key = "latent.npy";

  @Required
  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Planes of a latent (4 for Stable Diffusion's VAE).")
  private Integer channels;

  @Required
  @Min(2)
  @Max(256)
  @JsonPropertyDescription(
      "Side of a latent, in latent pixels (32 for 256 px images and an 8x downsampling VAE).")
  private Integer size;

  @Default("1.0")
  @JsonPropertyDescription(
      "Latents are multiplied by this before training and divided by it before decoding, so"
          + " that they have about unit variance (0.18215 for Stable Diffusion's VAE). Default 1.")
  private Double scalingFactor = 1.0;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Integer getChannels() {
    return channels;
  }

  public void setChannels(Integer channels) {
    this.channels = channels;
  }

  public Integer getSize() {
    return size;
  }

  public void setSize(Integer size) {
    this.size = size;
  }

  public Double getScalingFactor() {
    return scalingFactor;
  }

  public void setScalingFactor(Double scalingFactor) {
    this.scalingFactor = scalingFactor;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatentSpec that
        && Objects.equals(key, that.key)
        && Objects.equals(channels, that.channels)
        && Objects.equals(size, that.size)
        && Objects.equals(scalingFactor, that.scalingFactor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, channels, size, scalingFactor);
  }
}
