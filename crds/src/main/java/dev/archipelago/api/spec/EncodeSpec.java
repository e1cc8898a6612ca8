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
 * The encode stage: a Job, before the partition, that runs a TorchScript VAE encoder over the image
 * shards of spec.dataset.uri and writes latent shards under the run's storage prefix, which the
 * partition and the trainers then read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EncodeSpec {

  @Required
  @Size(max = 1024)
  @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.*[^/]$")
  @JsonPropertyDescription(
      "s3:// URI of a TorchScript encoder (torch.jit.save): [B, C, S, S] images in [-1, 1]"
          + " (C = spec.dataset.channels, S = spec.dataset.imageSize) to [B, c, s, s] latents as"
          + " spec.dataset.latents gives them, or [B, 2c, s, s] (mean and log-variance: the"
          + " mean is kept).")
  private String encoderUri;

  @Default("16")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("Images per encoder call. Default 16.")
  private Integer batchSize = 16;

  public String getEncoderUri() {
    return encoderUri;
  }

  public void setEncoderUri(String encoderUri) {
    this.encoderUri = encoderUri;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodeSpec that
        && Objects.equals(encoderUri, that.encoderUri)
        && Objects.equals(batchSize, that.batchSize);
  }

  @Override
  public int hashCode() {
    return Objects.hash(encoderUri, batchSize);
  }
}
