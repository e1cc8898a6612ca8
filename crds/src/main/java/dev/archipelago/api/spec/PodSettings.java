package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;
import java.util.Objects;

/**
 * What platform teams set on every pod a run creates (trainers and serving): the ServiceAccount
 * that carries the pods' cloud identity, a priority class, and labels and annotations their
 * policies and cost tools read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodSettings {

  @Size(max = 253)
  @Pattern(NamePatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "ServiceAccount of the run's pods, for workload identity (EKS IRSA or Pod Identity, GKE"
          + " Workload Identity): with no spec.storage.credentialsSecretRef the trainers reach the"
          + " store as this identity. Its API token is still not mounted. Default: the"
          + " namespace's default ServiceAccount.")
  private String serviceAccountName;

  @Size(max = 253)
  @Pattern(NamePatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("PriorityClass of the run's pods. Default: none (the cluster default).")
  private String priorityClassName;

  @Size(max = 32)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('archipelago.dev/'))",
      message = "spec.pods.labels may not set archipelago.dev/ labels: the operator owns them")
  @JsonPropertyDescription(
      "Extra labels on the run's pods and Jobs, e.g. a team or cost centre. Default: none.")
  private Map<String, String> labels;

  @Size(max = 32)
  @JsonPropertyDescription("Extra annotations on the run's pods. Default: none.")
  private Map<String, String> annotations;

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodSettings that
        && Objects.equals(serviceAccountName, that.serviceAccountName)
        && Objects.equals(priorityClassName, that.priorityClassName)
        && Objects.equals(labels, that.labels)
        && Objects.equals(annotations, that.annotations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serviceAccountName, priorityClassName, labels, annotations);
  }
}
