package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A decentralized diffusion training run: partition the data into K clusters, train one expert per
 * cluster on its own island, train the router, then serve the ensemble. Cross-field rules live
 * here; rules about one section live on that section's class.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.placement) || self.placement.all(p, p.expert < self.partitioning.experts)",
    fieldPath = ".placement",
    message = "spec.placement[].expert must be < spec.partitioning.experts")
@ValidationRule(
    value = "!has(self.placement) || self.placement.all(p, p.island in self.islands)",
    fieldPath = ".placement",
    message = "spec.placement[].island must be one of spec.islands")
@ValidationRule(
    value =
        "!has(self.inference) || !has(self.inference.topK)"
            + " || self.inference.topK <= self.partitioning.experts",
    fieldPath = ".inference.topK",
    message = "spec.inference.topK must be ≤ spec.partitioning.experts")
@ValidationRule(
    value =
        "!has(self.model.patchSize) || self.dataset.format == 'latents'"
            + " || !has(self.dataset.imageSize)"
            + " || self.dataset.imageSize % self.model.patchSize == 0",
    fieldPath = ".model.patchSize",
    message = "spec.model.patchSize must divide spec.dataset.imageSize")
@ValidationRule(
    value =
        "!has(self.model.patchSize) || self.dataset.format != 'latents'"
            + " || !has(self.dataset.latents) || self.dataset.latents.size % self.model.patchSize == 0",
    fieldPath = ".model.patchSize",
    message = "spec.model.patchSize must divide spec.dataset.latents.size")
@ValidationRule(
    value = "!has(self.model.patchSize) || " + DDMRunSpec.TOKENS + " <= " + ModelSpec.MAX_TOKENS,
    fieldPath = ".model.patchSize",
    message =
        "spec.model.patchSize is too small for the input: (size / patchSize)^2 tokens must be at"
            + " most "
            + ModelSpec.MAX_TOKENS
            + " (size is spec.dataset.imageSize, or spec.dataset.latents.size for latents); use a"
            + " larger patch or a latent data set")
@ValidationRule(
    value =
        "!has(self.model.conditioning) || self.model.conditioning != 'class'"
            + " || has(self.dataset.labelKey)",
    fieldPath = ".dataset.labelKey",
    message = "spec.dataset.labelKey is required when spec.model.conditioning is class")
@ValidationRule(
    value =
        "!has(self.partitioning.features) || !has(self.partitioning.features.normalization)"
            + " || self.partitioning.features.normalization != 'imagenet'"
            + " || !has(self.dataset.channels) || self.dataset.channels == 3",
    fieldPath = ".partitioning.features.normalization",
    message =
        "spec.partitioning.features.normalization imagenet needs RGB images"
            + " (spec.dataset.channels 3)")
@ValidationRule(
    value =
        "self.dataset.format != 'latents' || !has(self.inference) || !self.inference.enabled"
            + " || has(self.inference.decoderUri)",
    fieldPath = ".inference.decoderUri",
    message =
        "spec.inference.decoderUri is required to serve a latent run (spec.dataset.format"
            + " latents); set it or spec.inference.enabled false")
@ValidationRule(
    value =
        "!has(self.router) || !has(self.router.patchSize) || "
            + DDMRunSpec.INPUT_SIDE
            + " % self.router.patchSize == 0",
    fieldPath = ".router.patchSize",
    message =
        "spec.router.patchSize must divide the input side (spec.dataset.imageSize, or"
            + " spec.dataset.latents.size for latents)")
@ValidationRule(
    value =
        "!has(self.router) || !has(self.router.patchSize) || ("
            + DDMRunSpec.INPUT_SIDE
            + " / self.router.patchSize) * ("
            + DDMRunSpec.INPUT_SIDE
            + " / self.router.patchSize) <= "
            + ModelSpec.MAX_TOKENS,
    fieldPath = ".router.patchSize",
    message =
        "spec.router.patchSize is too small for the input: (size / patchSize)^2 tokens must be at"
            + " most "
            + ModelSpec.MAX_TOKENS)
@ValidationRule(
    value =
        "!has(self.inference) || !has(self.inference.model) || self.inference.model != 'student'"
            + " || (has(self.distillation) && self.distillation.enabled)",
    fieldPath = ".inference.model",
    message = "spec.inference.model student needs a student: set spec.distillation.enabled true")
@ValidationRule(
    value =
        "!has(self.distillation) || !has(self.distillation.topK)"
            + " || self.distillation.topK <= self.partitioning.experts",
    fieldPath = ".distillation.topK",
    message = "spec.distillation.topK must be ≤ spec.partitioning.experts")
@ValidationRule(
    value =
        "!has(self.distillation) || !self.distillation.enabled || self.partitioning.experts >= 2",
    fieldPath = ".distillation.enabled",
    message =
        "spec.distillation needs an ensemble to distil: spec.partitioning.experts must be at"
            + " least 2")
public class DDMRunSpec {
  /** The side of the DiT's input in CEL: the image's, or the latent's for a latent data set. */
  static final String INPUT_SIDE =
      "(self.dataset.format == 'latents' && has(self.dataset.latents)"
          + " ? self.dataset.latents.size : self.dataset.imageSize)";

  /** The DiT's token count in CEL: (input side / patch side)². */
  static final String TOKENS =
      "(self.dataset.format == 'latents' && has(self.dataset.latents)"
          + " ? self.dataset.latents.size : self.dataset.imageSize)"
          + " / self.model.patchSize"
          + " * ((self.dataset.format == 'latents' && has(self.dataset.latents)"
          + " ? self.dataset.latents.size : self.dataset.imageSize)"
          + " / self.model.patchSize)";

  private static final String IMMUTABLE = " is immutable: changing it would orphan trained experts";

  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.dataset" + IMMUTABLE)
  @JsonPropertyDescription("The training images. Immutable.")
  private DatasetSpec dataset;

  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.partitioning" + IMMUTABLE)
  @JsonPropertyDescription("How the data is split into one cluster per expert. Immutable.")
  private PartitioningSpec partitioning;

  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.model" + IMMUTABLE)
  @JsonPropertyDescription("The experts' architecture. Immutable.")
  private ModelSpec model;

  @Default("{}")
  @JsonPropertyDescription("Optimisation settings shared by every expert.")
  private TrainingSpec training = new TrainingSpec();

  @Required
  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self.all(i, self.exists_one(j, j == i))",
      message = "spec.islands must not repeat a name")
  @JsonPropertyDescription(
      "Names of the ComputeIslands the experts may run on. Experts are spread evenly over them,"
          + " honouring each island's maxConcurrentExperts, unless placement pins them.")
  private List<@Size(max = 253) @Pattern(NamePatterns.DNS_SUBDOMAIN) String> islands =
      new ArrayList<>();

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(p, self.exists_one(q, q.expert == p.expert))",
      message = "spec.placement must list each expert at most once")
  @JsonPropertyDescription(
      "Optional explicit expert-to-island assignment; experts not listed are spread over"
          + " spec.islands. Default: none.")
  private List<ExpertPlacement> placement;

  @Default("{}")
  @ValidationRule(
      value = PodResources.CPU_IS_A_QUANTITY,
      fieldPath = ".cpu",
      message = "spec.resources.cpu" + PodResources.QUANTITY_EXAMPLES + "4 or 500m")
  @ValidationRule(
      value = PodResources.MEMORY_IS_A_QUANTITY,
      fieldPath = ".memory",
      message = "spec.resources.memory" + PodResources.QUANTITY_EXAMPLES + "16Gi or 512Mi")
  @JsonPropertyDescription("Resources of each expert pod. Default 1 GPU, 4 CPU, 16Gi.")
  private PodResources resources = new PodResources();

  @Size(max = 512)
  @JsonPropertyDescription(
      "Trainer image for every pod of the run. Default: the operator's configured trainer image.")
  private String image;

  @Default("IfNotPresent")
  @JsonPropertyDescription("Pull policy of the trainer image. Default IfNotPresent.")
  private ImagePullPolicy imagePullPolicy = ImagePullPolicy.IfNotPresent;

  @Size(max = 16)
  @JsonPropertyDescription("Secrets for pulling the trainer image. Default: none.")
  private List<LocalObjectRef> imagePullSecrets;

  @Default("{}")
  @JsonPropertyDescription("The router that picks experts at sampling time.")
  private RouterSpec router = new RouterSpec();

  @Default("{}")
  @JsonPropertyDescription(
      "Distilling the ensemble into one student after the experts and the router. Default: off.")
  private DistillationSpec distillation = new DistillationSpec();

  @Required
  @JsonPropertyDescription("The S3-compatible object store for partitions and checkpoints.")
  private StorageSpec storage;

  @Default("{}")
  @JsonPropertyDescription("Serving the ensemble after training.")
  private InferenceSpec inference = new InferenceSpec();

  @Default("{}")
  @JsonPropertyDescription("Retries and failures of expert pods.")
  private FailurePolicySpec failurePolicy = new FailurePolicySpec();

  @Default("false")
  @JsonPropertyDescription(
      "true stops the run's pods (checkpoints stay); false again resumes from them. Default"
          + " false.")
  private Boolean suspend = false;

  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Kueue LocalQueue in the run's namespace: every trainer Job carries"
          + " kueue.x-k8s.io/queue-name and is created suspended, and Kueue starts each when it"
          + " admits it against its ClusterQueue's quota. Default: none (Jobs start at once).")
  private String queueName;

  @JsonPropertyDescription(
      "ServiceAccount, priority class, labels and annotations for every pod of the run."
          + " Default: none.")
  private PodSettings pods;

  @Min(1)
  @Max(3600)
  @Default("120")
  @JsonPropertyDescription(
      "Seconds a stopped trainer pod (deleted, preempted, drained, suspended) has to finish its"
          + " step, write a checkpoint and exit before it is killed; the pods'"
          + " terminationGracePeriodSeconds. Raise it for models whose checkpoint (weights, EMA,"
          + " optimizer state) takes longer to upload. Default 120.")
  private Integer terminationGracePeriodSeconds = 120;

  public Integer getTerminationGracePeriodSeconds() {
    return terminationGracePeriodSeconds;
  }

  public void setTerminationGracePeriodSeconds(Integer terminationGracePeriodSeconds) {
    this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
  }

  public DatasetSpec getDataset() {
    return dataset;
  }

  public void setDataset(DatasetSpec dataset) {
    this.dataset = dataset;
  }

  public PartitioningSpec getPartitioning() {
    return partitioning;
  }

  public void setPartitioning(PartitioningSpec partitioning) {
    this.partitioning = partitioning;
  }

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public TrainingSpec getTraining() {
    return training;
  }

  public void setTraining(TrainingSpec training) {
    this.training = training;
  }

  public List<String> getIslands() {
    return islands;
  }

  public void setIslands(List<String> islands) {
    this.islands = islands;
  }

  public List<ExpertPlacement> getPlacement() {
    return placement;
  }

  public void setPlacement(List<ExpertPlacement> placement) {
    this.placement = placement;
  }

  public PodResources getResources() {
    return resources;
  }

  public void setResources(PodResources resources) {
    this.resources = resources;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public List<LocalObjectRef> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectRef> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public RouterSpec getRouter() {
    return router;
  }

  public void setRouter(RouterSpec router) {
    this.router = router;
  }

  public DistillationSpec getDistillation() {
    return distillation;
  }

  public void setDistillation(DistillationSpec distillation) {
    this.distillation = distillation;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public InferenceSpec getInference() {
    return inference;
  }

  public void setInference(InferenceSpec inference) {
    this.inference = inference;
  }

  public FailurePolicySpec getFailurePolicy() {
    return failurePolicy;
  }

  public void setFailurePolicy(FailurePolicySpec failurePolicy) {
    this.failurePolicy = failurePolicy;
  }

  public String getQueueName() {
    return queueName;
  }

  public void setQueueName(String queueName) {
    this.queueName = queueName;
  }

  public PodSettings getPods() {
    return pods;
  }

  public void setPods(PodSettings pods) {
    this.pods = pods;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DDMRunSpec that
        && Objects.equals(dataset, that.dataset)
        && Objects.equals(partitioning, that.partitioning)
        && Objects.equals(model, that.model)
        && Objects.equals(training, that.training)
        && Objects.equals(islands, that.islands)
        && Objects.equals(placement, that.placement)
        && Objects.equals(resources, that.resources)
        && Objects.equals(image, that.image)
        && Objects.equals(imagePullPolicy, that.imagePullPolicy)
        && Objects.equals(imagePullSecrets, that.imagePullSecrets)
        && Objects.equals(router, that.router)
        && Objects.equals(distillation, that.distillation)
        && Objects.equals(storage, that.storage)
        && Objects.equals(inference, that.inference)
        && Objects.equals(failurePolicy, that.failurePolicy)
        && Objects.equals(suspend, that.suspend)
        && Objects.equals(queueName, that.queueName)
        && Objects.equals(pods, that.pods)
        && Objects.equals(terminationGracePeriodSeconds, that.terminationGracePeriodSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        dataset,
        partitioning,
        model,
        training,
        islands,
        placement,
        resources,
        image,
        imagePullPolicy,
        imagePullSecrets,
        router,
        distillation,
        storage,
        inference,
        failurePolicy,
        suspend,
        queueName,
        pods,
        terminationGracePeriodSeconds);
  }
}
