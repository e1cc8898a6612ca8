package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** The features the partitioner clusters samples by. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'torchscript' || has(self.modelUri)",
    message =
        "spec.partitioning.features.modelUri is required when spec.partitioning.features.type is"
            + " torchscript")
@ValidationRule(
    value = "self.type != 'embedding' || has(self.embeddingKey)",
    message =
        "spec.partitioning.features.embeddingKey is required when spec.partitioning.features.type"
            + " is embedding")
public class FeatureSpec {

  @Default("pixels")
  @JsonPropertyDescription(
      "pixels (default): downsampled pixels (of the latents, for a latent data set). torchscript:"
          + " embeddings from the model at modelUri. embedding: precomputed vectors stored in"
          + " each sample's embeddingKey part.")
  private FeatureExtractor type = FeatureExtractor.PIXELS;

  @Size(max = 1024)
  @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.*[^/]$")
  @JsonPropertyDescription(
      "s3://<bucket>/<key> of a TorchScript module mapping an image batch to embeddings. Required"
          + " when type is torchscript.")
  private String modelUri;

  @Min(16)
  @Max(1024)
  @JsonPropertyDescription(
      "Side in pixels the encoder's images are decoded at (for example 224 for a DINOv2 export);"
          + " default spec.dataset.imageSize. torchscript only.")
  private Integer inputSize;

  @JsonPropertyDescription(
      "Scaling of the encoder's input: signed (default, values in [-1, 1]) or imagenet ([0, 1]"
          + " then ImageNet's per-channel mean and std, as DINOv2 expects; RGB only). torchscript"
          + " only.")
  private FeatureNormalization normalization;

  @JsonPropertyDescription(
      "Scale every feature vector to unit length and cluster those (cosine geometry, the usual"
          + " choice for DINOv2 embeddings) instead of z-scoring each dimension. Default false.")
  private Boolean l2Normalize;

  @Size(max = 64)
  @Pattern("^[A-Za-z0-9_.-]+$")
  @JsonPropertyDescription(
      "WebDataset part holding each sample's precomputed embedding, a 1-D float16 or float32"
          + " .npy (for example dinov2.npy). Required when type is embedding.")
  private String embeddingKey;

  public String getEmbeddingKey() {
    return embeddingKey;
  }

  public void setEmbeddingKey(String embeddingKey) {
    this.embeddingKey = embeddingKey;
  }

  public FeatureExtractor getType() {
    return type;
  }

  public void setType(FeatureExtractor type) {
    this.type = type;
  }

  public String getModelUri() {
    return modelUri;
  }

  public void setModelUri(String modelUri) {
    this.modelUri = modelUri;
  }

  public Integer getInputSize() {
    return inputSize;
  }

  public void setInputSize(Integer inputSize) {
    this.inputSize = inputSize;
  }

  public FeatureNormalization getNormalization() {
    return normalization;
  }

  public void setNormalization(FeatureNormalization normalization) {
    this.normalization = normalization;
  }

  public Boolean getL2Normalize() {
    return l2Normalize;
  }

  public void setL2Normalize(Boolean l2Normalize) {
    this.l2Normalize = l2Normalize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSpec that
        && Objects.equals(type, that.type)
        && Objects.equals(modelUri, that.modelUri)
        && Objects.equals(inputSize, that.inputSize)
        && Objects.equals(normalization, that.normalization)
        && Objects.equals(l2Normalize, that.l2Normalize)
        && Objects.equals(embeddingKey, that.embeddingKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, modelUri, inputSize, normalization, l2Normalize, embeddingKey);
  }
}
