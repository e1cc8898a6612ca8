package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The S3-compatible object store for partitions, checkpoints, progress and the router. Every object
 * of a run lives under {@code <prefix>/<namespace>/<name>/<uid>/} (see the contract's
 * StorageLayout).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

  @Required
  @Size(max = 512)
  @ValidationRule(
      value =
          "!isURL(self) || url(self).getPort() == ''"
              + " || (int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535)",
      message = "spec.storage.endpoint has a port outside 1-65535")
  @Pattern("^https?://[^/?#\\s]+(/[^?#\\s]*)?$")
  @JsonPropertyDescription(
      "S3 endpoint URL, http:// or https://, for example http://minio.storage.svc:9000. Pods get"
          + " egress to it and to DNS only (see egress).")
  private String endpoint;

  @Required
  @Size(min = 3, max = 63)
  @Pattern(NamePatterns.S3_BUCKET)
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.storage.bucket is immutable: the run's checkpoints live there")
  @JsonPropertyDescription("Bucket that holds the run's objects. Immutable.")
  private String bucket;

  @Default("archipelago")
  @Size(max = 256)
  @Pattern("^([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?$")
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.storage.prefix is immutable: the run's checkpoints live under it")
  @JsonPropertyDescription(
      "Key prefix inside the bucket, without leading or trailing slash; the run's objects go"
          + " under <prefix>/<namespace>/<name>/<uid>/. Default archipelago. Immutable.")
  private String prefix = "archipelago";

  @Default("us-east-1")
  @Size(max = 64)
  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription("Region used to sign requests. Default us-east-1.")
  private String region = "us-east-1";

  @Default("true")
  @JsonPropertyDescription(
      "Path-style addressing (http://endpoint/bucket/key), as MinIO and most in-cluster stores"
          + " need. Default true.")
  private Boolean pathStyle = true;

  @JsonPropertyDescription(
      "Secret with the access key. Its values reach only the pods' environment, never status,"
          + " logs or ConfigMaps. Without it the trainers and the operator use their own identity"
          + " (spec.pods.serviceAccountName for the trainers) through the standard AWS credential"
          + " chain: environment, web identity token file (EKS IRSA), container and instance"
          + " metadata. Default: none.")
  private CredentialsSecretRef credentialsSecretRef;

  @Default("Retain")
  @JsonPropertyDescription(
      "Retain (default): stored data outlives the DDMRun. Delete: a finalizer removes the run's"
          + " prefix when the DDMRun is deleted.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @Default("{}")
  @JsonPropertyDescription(
      "How the run's NetworkPolicy lets training pods reach the store (they reach nothing else"
          + " but DNS). Default: the endpoint's address when it is an IP literal, else its port.")
  private StorageEgress egress = new StorageEgress();

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public Boolean getPathStyle() {
    return pathStyle;
  }

  public void setPathStyle(Boolean pathStyle) {
    this.pathStyle = pathStyle;
  }

  public CredentialsSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsSecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public StorageEgress getEgress() {
    return egress;
  }

  public void setEgress(StorageEgress egress) {
    this.egress = egress;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageSpec that
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(bucket, that.bucket)
        && Objects.equals(prefix, that.prefix)
        && Objects.equals(region, that.region)
        && Objects.equals(pathStyle, that.pathStyle)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef)
        && Objects.equals(deletionPolicy, that.deletionPolicy)
        && Objects.equals(egress, that.egress);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        endpoint, bucket, prefix, region, pathStyle, credentialsSecretRef, deletionPolicy, egress);
  }
}
