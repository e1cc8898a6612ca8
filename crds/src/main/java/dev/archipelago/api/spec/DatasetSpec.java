package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Where the training images come from and their shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.format != 'latents' || has(self.latents)",
    fieldPath = ".latents",
    message = "spec.dataset.latents is required when spec.dataset.format is latents")
@ValidationRule(
    value =
        "!self.uri.startsWith('synthetic://gmm') || (self.format == 'latents' && !has(self.encode))",
    fieldPath = ".format",
    message =
        "spec.dataset.uri synthetic://gmm generates latent tensors: it needs spec.dataset.format"
            + " latents (with spec.dataset.latents giving their shape) and no spec.dataset.encode")
@ValidationRule(
    value = "!has(self.encode) || self.format == 'latents'",
    fieldPath = ".encode",
    message = "spec.dataset.encode needs spec.dataset.format latents (it writes latents)")
public class DatasetSpec {

  @Required
  @Size(max = 1024)
  @Pattern("^(s3|synthetic)://.+$")
  @ValidationRule(
      value =
          "!self.startsWith('s3://') || self.matches('^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^/]+/)*$')",
      message =
          "spec.dataset.uri must look like s3://<bucket>/<prefix>/ (a valid bucket name and a"
              + " trailing slash)")
  @ValidationRule(
      value =
          "!self.startsWith('synthetic://') || self.matches('^synthetic://(shapes|gmm)([?].*)?$')",
      message =
          "spec.dataset.uri must name a known generator: synthetic://shapes[?options] or"
              + " synthetic://gmm[?options]")
  @ValidationRule(
      value =
          "!self.startsWith('synthetic://gmm?')"
              + " || self.matches('^synthetic://gmm[?](samples=[1-9][0-9]{0,11}|shardSize=[1-9][0-9]{0,8}|seed=[0-9]{1,18}|components=[1-9][0-9]?|separation=[0-9]{1,3}([.][0-9]{1,6})?)(&(samples=[1-9][0-9]{0,11}|shardSize=[1-9][0-9]{0,8}|seed=[0-9]{1,18}|components=[1-9][0-9]?|separation=[0-9]{1,3}([.][0-9]{1,6})?))*$')",
      message =
          "spec.dataset.uri: synthetic://gmm options are samples, seed, shardSize, components (1 to"
              + " 99) and separation (a decimal number), joined by &")
  @ValidationRule(
      value =
          "!self.startsWith('synthetic://shapes?')"
              + " || self.matches('^synthetic://shapes[?](samples=[1-9][0-9]{0,11}|shardSize=[1-9][0-9]{0,8}|seed=[0-9]{1,18}|classes=[0-9]{1,4})(&(samples=[1-9][0-9]{0,11}|shardSize=[1-9][0-9]{0,8}|seed=[0-9]{1,18}|classes=[0-9]{1,4}))*$')",
      message =
          "spec.dataset.uri: synthetic://shapes options are samples, seed, shardSize and classes,"
              + " each a whole number (samples and shardSize at least 1), joined by &")
  @JsonPropertyDescription(
      "Where the images are: s3://<bucket>/<prefix>/ holding WebDataset .tar shards (read with"
          + " spec.storage's endpoint and credentials), synthetic://shapes?<options> for"
          + " generated images (options such as classes=10&samples=4096 are read by the trainer),"
          + " or synthetic://gmm?<options> for a Gaussian mixture of latents with a known optimum"
          + " (components=4&separation=2.5&samples=20000; needs format latents, and inference.enabled false:"
          + " no VAE decodes it; archipelago ground-truth measures it). Immutable.")
  private String uri;

  @Default("32")
  @Min(8)
  @Max(1024)
  @ValidationRule(
      value = "self % 8 == 0",
      message = "spec.dataset.imageSize must be a multiple of 8")
  @JsonPropertyDescription(
      "Side length in pixels that images are resized (and center-cropped) to. A multiple of 8."
          + " Default 32.")
  private Integer imageSize = 32;

  @Default("3")
  @Min(1)
  @Max(4)
  @JsonPropertyDescription(
      "Planes per image: 1 grey, 2 grey + alpha, 3 RGB (default), 4 RGBA. Images of another"
          + " kind are converted when read (grey is the BT.601 luma).")
  private Integer channels = 3;

  @Size(max = 64)
  @Pattern("^[A-Za-z0-9_.-]+$")
  @JsonPropertyDescription(
      "WebDataset key holding the integer class label (for example cls). Required when"
          + " spec.model.conditioning is class; unset means unlabelled data.")
  private String labelKey;

  @Default("8")
  @Min(1)
  @Max(256)
  @JsonPropertyDescription(
      "Shards a trainer reads and shuffles together, so that a batch mixes them even when shards"
          + " were written in class or source order (as WebDataset's shuffle buffer). Memory: the"
          + " raw bytes of twice this many shards (the next group is read ahead). Default 8.")
  private Integer shuffleShards = 8;

  @Default("images")
  @JsonPropertyDescription(
      "What the experts and router train on: images (default: the decoded pixels) or latents"
          + " (the .npy tensors that spec.dataset.latents describes, from the shards or from the"
          + " encode stage). With latents, imageSize and channels describe the images the VAE"
          + " encodes and decodes.")
  private DatasetFormat format = DatasetFormat.IMAGES;

  @JsonPropertyDescription("The latent tensors; required when format is latents.")
  private LatentSpec latents;

  @JsonPropertyDescription(
      "Encode the image shards of uri into latents before partitioning, with a TorchScript VAE"
          + " encoder; needs format latents. Unset: the shards already hold the latents.")
  private EncodeSpec encode;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public Integer getImageSize() {
    return imageSize;
  }

  public void setImageSize(Integer imageSize) {
    this.imageSize = imageSize;
  }

  public Integer getChannels() {
    return channels;
  }

  public void setChannels(Integer channels) {
    this.channels = channels;
  }

  public String getLabelKey() {
    return labelKey;
  }

  public void setLabelKey(String labelKey) {
    this.labelKey = labelKey;
  }

  public Integer getShuffleShards() {
    return shuffleShards;
  }

  public void setShuffleShards(Integer shuffleShards) {
    this.shuffleShards = shuffleShards;
  }

  public DatasetFormat getFormat() {
    return format;
  }

  public void setFormat(DatasetFormat format) {
    this.format = format;
  }

  public LatentSpec getLatents() {
    return latents;
  }

  public void setLatents(LatentSpec latents) {
    this.latents = latents;
  }

  public EncodeSpec getEncode() {
    return encode;
  }

  public void setEncode(EncodeSpec encode) {
    this.encode = encode;
  }

  /** Whether the trainers read latents rather than images. */
  public boolean trainsOnLatents() {
    return format == DatasetFormat.LATENTS;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatasetSpec that
        && Objects.equals(uri, that.uri)
        && Objects.equals(imageSize, that.imageSize)
        && Objects.equals(channels, that.channels)
        && Objects.equals(labelKey, that.labelKey)
        && Objects.equals(shuffleShards, that.shuffleShards)
        && Objects.equals(format, that.format)
        && Objects.equals(latents, that.latents)
        && Objects.equals(encode, that.encode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, imageSize, channels, labelKey, shuffleShards, format, latents, encode);
  }
}
