package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** How the dataset is split into one cluster per expert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.method != 'kmeans' || self.fineClusters >= self.experts",
    fieldPath = ".fineClusters",
    message = "spec.partitioning.fineClusters must be ≥ spec.partitioning.experts")
public class PartitioningSpec {

  @Required
  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "Number of experts K, which is also the number of data clusters, 1 to 64. 1 is the"
          + " monolith baseline: one model trained on all the data, no router, served alone."
          + " Immutable.")
  private Integer experts;

  @Default("kmeans")
  @JsonPropertyDescription(
      "kmeans (default): two-stage k-means, fineClusters first, then merged into K clusters."
          + " random: uniform random split, for ablations.")
  private PartitioningMethod method = PartitioningMethod.KMEANS;

  @Default("1024")
  @Min(1)
  @Max(65536)
  @JsonPropertyDescription(
      "Clusters of the first k-means stage (kmeans only); at least experts. Default 1024.")
  private Integer fineClusters = 1024;

  @Default("{}")
  @JsonPropertyDescription("What samples are clustered by. Default: pixels.")
  private FeatureSpec features = new FeatureSpec();

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Seed for k-means initialisation and the random split. Default 0.")
  private Long seed = 0L;

  public Integer getExperts() {
    return experts;
  }

  public void setExperts(Integer experts) {
    this.experts = experts;
  }

  public PartitioningMethod getMethod() {
    return method;
  }

  public void setMethod(PartitioningMethod method) {
    this.method = method;
  }

  public Integer getFineClusters() {
    return fineClusters;
  }

  public void setFineClusters(Integer fineClusters) {
    this.fineClusters = fineClusters;
  }

  public FeatureSpec getFeatures() {
    return features;
  }

  public void setFeatures(FeatureSpec features) {
    this.features = features;
  }

  public Long getSeed() {
    return seed;
  }

  public void setSeed(Long seed) {
    this.seed = seed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitioningSpec that
        && Objects.equals(experts, that.experts)
        && Objects.equals(method, that.method)
        && Objects.equals(fineClusters, that.fineClusters)
        && Objects.equals(features, that.features)
        && Objects.equals(seed, that.seed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(experts, method, fineClusters, features, seed);
  }
}
