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

/** How the trained ensemble is served once every expert and the router have succeeded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.strategy != 'topk' || has(self.topK)",
    fieldPath = ".topK",
    message = "spec.inference.topK is required when spec.inference.strategy is topk")
@ValidationRule(
    value = "!has(self.topK) || self.strategy == 'topk'",
    fieldPath = ".topK",
    message = "spec.inference.topK is only allowed when spec.inference.strategy is topk")
@ValidationRule(
    value = "!self.enabled || self.replicas >= 1",
    fieldPath = ".replicas",
    message =
        "spec.inference.replicas must be at least 1 while inference is enabled (set enabled:"
            + " false to train without serving)")
@ValidationRule(
    value = "!has(self.model) || self.model != 'student' || self.topology == 'colocated'",
    fieldPath = ".topology",
    message =
        "spec.inference.topology must be colocated when spec.inference.model is student (one"
            + " model, nothing to distribute)")
public class InferenceSpec {

  @Size(max = 1024)
  @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.*[^/]$")
  @JsonPropertyDescription(
      "s3:// URI of a TorchScript VAE decoder (torch.jit.save) for a latent run: [B, c, s, s]"
          + " latents (already divided by spec.dataset.latents.scalingFactor) to [B, C, S, S]"
          + " images in [-1, 1]. Required to serve a run whose spec.dataset.format is latents.")
  private String decoderUri;

  @Default("mixture")
  @JsonPropertyDescription(
      "Classifier-free guidance of an ensemble: mixture (default: the routed ensemble with the"
          + " class against the routed ensemble with the null class, so the router's null-class"
          + " posterior picks the unconditional experts) or perExpert (each chosen expert guides"
          + " itself). A request's guidanceMode overrides it.")
  private GuidanceMode guidanceMode = GuidanceMode.MIXTURE;

  @Default("true")
  @JsonPropertyDescription(
      "Serve the ensemble after training. false: the run ends Succeeded instead of Serving."
          + " Default true.")
  private Boolean enabled = true;

  @Default("top1")
  @JsonPropertyDescription(
      "How expert predictions are combined: top1 (default, one expert per step), topk (the"
          + " topK most likely), full (all, router-weighted) or sample (one drawn from the"
          + " router).")
  private InferenceStrategy strategy = InferenceStrategy.TOP1;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "Experts combined per step; required for, and only allowed with, strategy topk. At most"
          + " spec.partitioning.experts.")
  private Integer topK;

  @Default("50")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Solver steps per generated image. Default 50.")
  private Integer samplingSteps = 50;

  @Default("euler")
  @JsonPropertyDescription("ODE solver: euler (default) or heun (second order).")
  private Sampler sampler = Sampler.EULER;

  @Default("colocated")
  @JsonPropertyDescription(
      "colocated (default): router and experts in each replica's pod. distributed: a router"
          + " Deployment plus one Deployment per expert.")
  private InferenceTopology topology = InferenceTopology.COLOCATED;

  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Replicas of the router Deployment (colocated: of the one serving Deployment). Default 1.")
  private Integer replicas = 1;

  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Replicas of each expert Deployment (distributed topology), behind the expert's Service."
          + " Default 1.")
  private Integer expertReplicas = 1;

  @Default("{}")
  @JsonPropertyDescription(
      "How serving batches model evaluations across requests (maximum batch, wait to fill one).")
  private ServingBatching batching = new ServingBatching();

  @Default("auto")
  @JsonPropertyDescription(
      "Number format of the experts when serving: auto (default; fp16 on GPUs, fp32 on CPUs), fp32"
          + " or fp16. Weights are stored fp32 and converted as they load; the router stays fp32.")
  private ServingPrecision precision = ServingPrecision.AUTO;

  @Default("ensemble")
  @JsonPropertyDescription(
      "What is served: ensemble (default: the experts, routed at every step) or student (the"
          + " model spec.distillation trained: no router, one evaluation per step, colocated only).")
  private ServedModel model = ServedModel.ENSEMBLE;

  @Default("{}")
  @ValidationRule(
      value = PodResources.CPU_IS_A_QUANTITY,
      fieldPath = ".cpu",
      message = "spec.inference.resources.cpu" + PodResources.QUANTITY_EXAMPLES + "4 or 500m")
  @ValidationRule(
      value = PodResources.MEMORY_IS_A_QUANTITY,
      fieldPath = ".memory",
      message =
          "spec.inference.resources.memory" + PodResources.QUANTITY_EXAMPLES + "16Gi or 512Mi")
  @JsonPropertyDescription("Resources of each serving pod. Default 1 GPU, 4 CPU, 16Gi.")
  private PodResources resources = new PodResources();

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public InferenceStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(InferenceStrategy strategy) {
    this.strategy = strategy;
  }

  public Integer getTopK() {
    return topK;
  }

  public void setTopK(Integer topK) {
    this.topK = topK;
  }

  public Integer getSamplingSteps() {
    return samplingSteps;
  }

  public void setSamplingSteps(Integer samplingSteps) {
    this.samplingSteps = samplingSteps;
  }

  public Sampler getSampler() {
    return sampler;
  }

  public void setSampler(Sampler sampler) {
    this.sampler = sampler;
  }

  public InferenceTopology getTopology() {
    return topology;
  }

  public void setTopology(InferenceTopology topology) {
    this.topology = topology;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getExpertReplicas() {
    return expertReplicas;
  }

  public void setExpertReplicas(Integer expertReplicas) {
    this.expertReplicas = expertReplicas;
  }

  public ServingBatching getBatching() {
    return batching;
  }

  public void setBatching(ServingBatching batching) {
    this.batching = batching;
  }

  public ServedModel getModel() {
    return model;
  }

  public void setModel(ServedModel model) {
    this.model = model;
  }

  /** Whether serving runs the distilled student instead of the ensemble. */
  public boolean servesStudent() {
    return model == ServedModel.STUDENT;
  }

  public ServingPrecision getPrecision() {
    return precision;
  }

  public void setPrecision(ServingPrecision precision) {
    this.precision = precision;
  }

  public PodResources getResources() {
    return resources;
  }

  public void setResources(PodResources resources) {
    this.resources = resources;
  }

  public String getDecoderUri() {
    return decoderUri;
  }

  public void setDecoderUri(String decoderUri) {
    this.decoderUri = decoderUri;
  }

  public GuidanceMode getGuidanceMode() {
    return guidanceMode;
  }

  public void setGuidanceMode(GuidanceMode guidanceMode) {
    this.guidanceMode = guidanceMode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferenceSpec that
        && Objects.equals(enabled, that.enabled)
        && Objects.equals(strategy, that.strategy)
        && Objects.equals(topK, that.topK)
        && Objects.equals(samplingSteps, that.samplingSteps)
        && Objects.equals(sampler, that.sampler)
        && Objects.equals(topology, that.topology)
        && Objects.equals(replicas, that.replicas)
        && Objects.equals(expertReplicas, that.expertReplicas)
        && Objects.equals(batching, that.batching)
        && Objects.equals(precision, that.precision)
        && Objects.equals(model, that.model)
        && Objects.equals(resources, that.resources)
        && Objects.equals(decoderUri, that.decoderUri)
        && Objects.equals(guidanceMode, that.guidanceMode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        enabled,
        strategy,
        topK,
        samplingSteps,
        sampler,
        topology,
        replicas,
        expertReplicas,
        batching,
        precision,
        model,
        resources,
        decoderUri,
        guidanceMode);
  }
}
