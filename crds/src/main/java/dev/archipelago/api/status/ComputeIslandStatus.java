package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The island's nodes as a Node informer last saw them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComputeIslandStatus {

  @JsonPropertyDescription("Nodes matching spec.nodeSelector.")
  private Integer nodes;

  @JsonPropertyDescription("Matching nodes whose Ready condition is True.")
  private Integer readyNodes;

  @JsonPropertyDescription("Sum of spec.gpu.resourceName allocatable on the ready nodes.")
  private Long allocatableGpus;

  @JsonPropertyDescription("Ready is True when at least one node is ready and has GPUs.")
  private List<StatusCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription("metadata.generation this status was computed for.")
  private Long observedGeneration;

  public Integer getNodes() {
    return nodes;
  }

  public void setNodes(Integer nodes) {
    this.nodes = nodes;
  }

  public Integer getReadyNodes() {
    return readyNodes;
  }

  public void setReadyNodes(Integer readyNodes) {
    this.readyNodes = readyNodes;
  }

  public Long getAllocatableGpus() {
    return allocatableGpus;
  }

  public void setAllocatableGpus(Long allocatableGpus) {
    this.allocatableGpus = allocatableGpus;
  }

  public List<StatusCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<StatusCondition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComputeIslandStatus that
        && Objects.equals(nodes, that.nodes)
        && Objects.equals(readyNodes, that.readyNodes)
        && Objects.equals(allocatableGpus, that.allocatableGpus)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodes, readyNodes, allocatableGpus, conditions, observedGeneration);
  }
}
