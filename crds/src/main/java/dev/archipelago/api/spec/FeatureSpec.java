package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
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
public class FeatureSpec {

  @Default("pixels")
  @JsonPropertyDescription(
      "pixels (default): downsampled pixels. torchscript: embeddings from the model at modelUri.")
  private FeatureExtractor type = FeatureExtractor.PIXELS;

  @Size(max = 1024)
  @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.*[^/]$")
  @JsonPropertyDescription(
      "s3://<bucket>/<key> of a TorchScript module mapping an image batch to embeddings. Required"
          + " when type is torchscript.")
  private String modelUri;

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

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSpec that
        && Objects.equals(type, that.type)
        && Objects.equals(modelUri, that.modelUri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, modelUri);
  }
}
