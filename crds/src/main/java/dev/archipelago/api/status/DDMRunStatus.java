package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed of a run; written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DDMRunStatus {

  @JsonPropertyDescription(
      "Pending, Encoding, Partitioning, Training, Distilling, Serving, Succeeded, Failed or"
          + " Suspended.")
  private RunPhase phase;

  @JsonPropertyDescription("metadata.generation the operator last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Reconciling and Stalled, in the kstatus convention.")
  private List<StatusCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "The encode stage (runs with spec.dataset.encode only); its success outlives its Job.")
  private PartitionStatus encode;

  @JsonPropertyDescription("The partition step; its success outlives the partition Job.")
  private PartitionStatus partition;

  @JsonPropertyDescription(
      "Training samples per cluster, indexed by expert, once the partition is written.")
  private List<Long> clusterSizes;

  @JsonPropertyDescription("One entry per expert, in expert order.")
  private List<ExpertStatus> experts = new ArrayList<>();

  @JsonPropertyDescription("Experts that finished training.")
  private Integer expertsSucceeded;

  @JsonPropertyDescription("Experts in the run (spec.partitioning.experts).")
  private Integer expertsTotal;

  @JsonPropertyDescription("expertsSucceeded/expertsTotal, for kubectl get.")
  private String expertsSummary;

  @JsonPropertyDescription("The router's attempt and progress.")
  private RouterStatus router;

  @JsonPropertyDescription(
      "The student's attempt and progress, for runs with spec.distillation enabled.")
  private DistillationStatus distillation;

  @JsonPropertyDescription("The serving objects, once created.")
  private InferenceStatus inference;

  @JsonPropertyDescription("Object-store prefix under which all of the run's objects live.")
  private String storagePrefix;

  @JsonPropertyDescription(
      "The spec.failurePolicy.retryNonce last acted on; a different value in spec retries every"
          + " Failed expert once.")
  private Long observedRetryNonce;

  public RunPhase getPhase() {
    return phase;
  }

  public void setPhase(RunPhase phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<StatusCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<StatusCondition> conditions) {
    this.conditions = conditions;
  }

  public PartitionStatus getPartition() {
    return partition;
  }

  public void setPartition(PartitionStatus partition) {
    this.partition = partition;
  }

  public PartitionStatus getEncode() {
    return encode;
  }

  public void setEncode(PartitionStatus encode) {
    this.encode = encode;
  }

  public List<Long> getClusterSizes() {
    return clusterSizes;
  }

  public void setClusterSizes(List<Long> clusterSizes) {
    this.clusterSizes = clusterSizes;
  }

  public List<ExpertStatus> getExperts() {
    return experts;
  }

  public void setExperts(List<ExpertStatus> experts) {
    this.experts = experts;
  }

  public Integer getExpertsSucceeded() {
    return expertsSucceeded;
  }

  public void setExpertsSucceeded(Integer expertsSucceeded) {
    this.expertsSucceeded = expertsSucceeded;
  }

  public Integer getExpertsTotal() {
    return expertsTotal;
  }

  public void setExpertsTotal(Integer expertsTotal) {
    this.expertsTotal = expertsTotal;
  }

  public String getExpertsSummary() {
    return expertsSummary;
  }

  public void setExpertsSummary(String expertsSummary) {
    this.expertsSummary = expertsSummary;
  }

  public RouterStatus getRouter() {
    return router;
  }

  public void setRouter(RouterStatus router) {
    this.router = router;
  }

  public DistillationStatus getDistillation() {
    return distillation;
  }

  public void setDistillation(DistillationStatus distillation) {
    this.distillation = distillation;
  }

  public InferenceStatus getInference() {
    return inference;
  }

  public void setInference(InferenceStatus inference) {
    this.inference = inference;
  }

  public Long getObservedRetryNonce() {
    return observedRetryNonce;
  }

  public void setObservedRetryNonce(Long observedRetryNonce) {
    this.observedRetryNonce = observedRetryNonce;
  }

  public String getStoragePrefix() {
    return storagePrefix;
  }

  public void setStoragePrefix(String storagePrefix) {
    this.storagePrefix = storagePrefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DDMRunStatus that
        && Objects.equals(phase, that.phase)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(partition, that.partition)
        && Objects.equals(encode, that.encode)
        && Objects.equals(clusterSizes, that.clusterSizes)
        && Objects.equals(experts, that.experts)
        && Objects.equals(expertsSucceeded, that.expertsSucceeded)
        && Objects.equals(expertsTotal, that.expertsTotal)
        && Objects.equals(expertsSummary, that.expertsSummary)
        && Objects.equals(router, that.router)
        && Objects.equals(distillation, that.distillation)
        && Objects.equals(inference, that.inference)
        && Objects.equals(storagePrefix, that.storagePrefix)
        && Objects.equals(observedRetryNonce, that.observedRetryNonce);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        observedGeneration,
        conditions,
        partition,
        encode,
        clusterSizes,
        experts,
        expertsSucceeded,
        expertsTotal,
        expertsSummary,
        router,
        distillation,
        inference,
        storagePrefix,
        observedRetryNonce);
  }
}
