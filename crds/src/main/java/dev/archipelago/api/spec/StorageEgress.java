package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Objects;

/**
 * Where the run's NetworkPolicy lets training pods send traffic besides DNS: the object store. A
 * NetworkPolicy matches addresses and ports after a Service's address translation and cannot name
 * hosts, so an in-cluster store is named by its pods and an external one by its addresses.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.enabled) || self.enabled || (!has(self.cidrs) && !has(self.podSelector) &&"
            + " !has(self.namespaceSelector) && !has(self.ports))",
    message = "spec.storage.egress: peers and ports mean nothing with enabled: false")
public class StorageEgress {

  @Default("true")
  @JsonPropertyDescription(
      "false: the operator makes no NetworkPolicy for the run's training pods (the cluster's own"
          + " policies govern their egress). Default true.")
  private Boolean enabled = true;

  @Size(max = 16)
  @JsonPropertyDescription(
      "An external store: the CIDRs its endpoint resolves to (e.g. the provider's published S3"
          + " ranges, or a private endpoint's address). Default: the endpoint's own address when it"
          + " is an IP literal; for a host name without cidrs or selectors, any address on the"
          + " store's ports.")
  private List<@Pattern("^[0-9a-fA-F:.]+/[0-9]{1,3}$") String> cidrs;

  @JsonPropertyDescription(
      "An in-cluster store: the namespaces of its pods (with podSelector: those pods in them)."
          + " An endpoint that is a Service's ClusterIP or name must be allowed this way: policies"
          + " see the pods' addresses, never the Service's.")
  private LabelSelector namespaceSelector;

  @JsonPropertyDescription(
      "An in-cluster store: its pods' labels (in the run's namespace unless namespaceSelector is"
          + " set).")
  private LabelSelector podSelector;

  @Size(max = 8)
  @JsonPropertyDescription(
      "The ports the store listens on: for an in-cluster store its pods' port (a Service's"
          + " targetPort, not its port). Default: the endpoint's port (80/443 by scheme).")
  private List<@Min(1) @Max(65535) Integer> ports;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getCidrs() {
    return cidrs;
  }

  public void setCidrs(List<String> cidrs) {
    this.cidrs = cidrs;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public LabelSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(LabelSelector podSelector) {
    this.podSelector = podSelector;
  }

  public List<Integer> getPorts() {
    return ports;
  }

  public void setPorts(List<Integer> ports) {
    this.ports = ports;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageEgress that
        && Objects.equals(enabled, that.enabled)
        && Objects.equals(cidrs, that.cidrs)
        && Objects.equals(namespaceSelector, that.namespaceSelector)
        && Objects.equals(podSelector, that.podSelector)
        && Objects.equals(ports, that.ports);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, cidrs, namespaceSelector, podSelector, ports);
  }
}
