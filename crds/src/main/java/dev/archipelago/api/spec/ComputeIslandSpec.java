package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One GPU node pool. Experts placed on an island run only on its nodes, so that an expert's traffic
 * never leaves its pool.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComputeIslandSpec {

  @Required
  @Size(max = 32)
  @ValidationRule(
      value = "self.size() > 0",
      message = "spec.nodeSelector must select on at least one label")
  @JsonPropertyDescription(
      "Node labels that select the island's nodes; copied into each expert pod's nodeSelector.")
  private Map<String, @Size(max = 317) String> nodeSelector = new LinkedHashMap<>();

  @Default("[]")
  @Size(max = 32)
  @JsonPropertyDescription(
      "Tolerations copied into each expert pod, for pools whose nodes are tainted. Default none.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription(
      "Optional affinity copied into each expert pod, for placement rules a nodeSelector cannot"
          + " express. Default none.")
  private Affinity affinity;

  @Default("{}")
  @JsonPropertyDescription("The GPUs of the island's nodes.")
  private GpuSpec gpu = new GpuSpec();

  @Min(1)
  @Max(1024)
  @JsonPropertyDescription(
      "Most experts of all runs that may run on the island at once. Default: unset, limited only"
          + " by the island's GPUs.")
  private Integer maxConcurrentExperts;

  @JsonPropertyDescription(
      "The bucket near this island's nodes: a run's partition writes the cluster shards of the"
          + " experts placed here into it, so that they read their data in their own region. Same"
          + " endpoint and credentials as the run's spec.storage. Unset: the run's own bucket.")
  private IslandStorage storage;

  public IslandStorage getStorage() {
    return storage;
  }

  public void setStorage(IslandStorage storage) {
    this.storage = storage;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public GpuSpec getGpu() {
    return gpu;
  }

  public void setGpu(GpuSpec gpu) {
    this.gpu = gpu;
  }

  public Integer getMaxConcurrentExperts() {
    return maxConcurrentExperts;
  }

  public void setMaxConcurrentExperts(Integer maxConcurrentExperts) {
    this.maxConcurrentExperts = maxConcurrentExperts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComputeIslandSpec that
        && Objects.equals(nodeSelector, that.nodeSelector)
        && Objects.equals(tolerations, that.tolerations)
        && Objects.equals(affinity, that.affinity)
        && Objects.equals(gpu, that.gpu)
        && Objects.equals(maxConcurrentExperts, that.maxConcurrentExperts)
        && Objects.equals(storage, that.storage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeSelector, tolerations, affinity, gpu, maxConcurrentExperts, storage);
  }
}
