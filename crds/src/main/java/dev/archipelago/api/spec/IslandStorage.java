package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The bucket near an island's nodes. A run's partition writes the cluster shards of the experts
 * placed on the island into it, so that each expert reads its data without leaving its region. It
 * is reached at the run's endpoint with the run's credentials (one S3 account across regions, as on
 * AWS or GCS); buckets behind other credentials are not supported yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IslandStorage {

  @Required
  @Pattern(NamePatterns.S3_BUCKET)
  @JsonPropertyDescription(
      "Bucket for the cluster shards of the experts placed on this island (the run's endpoint and"
          + " credentials reach it).")
  private String bucket;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Region the bucket lives in, to sign its requests; default the run's spec.storage.region.")
  private String region;

  @Default("archipelago")
  @Pattern("^([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?$")
  @JsonPropertyDescription(
      "Key prefix in the bucket; a run's shards go under <prefix>/<namespace>/<name>/<uid>/."
          + " Default archipelago.")
  private String prefix = "archipelago";

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IslandStorage that
        && Objects.equals(bucket, that.bucket)
        && Objects.equals(region, that.region)
        && Objects.equals(prefix, that.prefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, region, prefix);
  }
}
