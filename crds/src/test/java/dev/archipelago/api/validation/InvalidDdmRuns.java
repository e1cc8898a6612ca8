package dev.archipelago.api.validation;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** DDMRuns the API server must reject, each one change away from valid-ddmrun.yaml. */
final class InvalidDdmRuns {
  private static final String BASE = "valid-ddmrun.yaml";
  private static final String MAX = "less than or equal to";
  private static final String MIN = "greater than or equal to";
  private static final String ENUM = "Unsupported value";
  private static final String PATTERN = "should match";
  private static final String REQUIRED = "Required value";

  private InvalidDdmRuns() {}

  static List<InvalidManifest> all() {
    return List.of(
        // dataset
        invalid(
            "rejects a dataset URI that is neither s3 nor synthetic",
            m -> m.set("/spec/dataset/uri", "https://example.com/shards/"),
            "spec.dataset.uri",
            PATTERN),
        invalid(
            "rejects an s3 dataset URI without a trailing slash",
            m -> m.set("/spec/dataset/uri", "s3://datasets/shapes/train"),
            "spec.dataset.uri",
            "must look like s3://"),
        invalid(
            "rejects an s3 dataset URI whose bucket name is not valid",
            m -> m.set("/spec/dataset/uri", "s3://My_Datasets/shapes/"),
            "spec.dataset.uri",
            "must look like s3://"),
        invalid(
            "rejects a synthetic dataset from an unknown generator",
            m -> m.set("/spec/dataset/uri", "synthetic://noise?samples=10"),
            "spec.dataset.uri",
            "known generator"),
        invalid(
            "rejects an image size that is not a multiple of 8",
            m -> m.set("/spec/dataset/imageSize", 36),
            "spec.dataset.imageSize",
            "must be a multiple of 8"),
        invalid(
            "rejects an image size above 1024 pixels",
            m -> m.set("/spec/dataset/imageSize", 2048),
            "spec.dataset.imageSize",
            MAX),
        invalid(
            "rejects five colour channels",
            m -> m.set("/spec/dataset/channels", 5),
            "spec.dataset.channels",
            MAX),
        invalid(
            "rejects a run without a dataset",
            m -> m.remove("/spec/dataset"),
            "spec.dataset",
            REQUIRED),
        // partitioning
        invalid(
            "rejects a run with zero experts",
            m -> m.set("/spec/partitioning/experts", 0),
            "spec.partitioning.experts",
            MIN),
        invalid(
            "rejects a run with more than 64 experts",
            m -> m.set("/spec/partitioning/experts", 65),
            "spec.partitioning.experts",
            MAX),
        invalid(
            "rejects an unknown partitioning method",
            m -> m.set("/spec/partitioning/method", "spectral"),
            "spec.partitioning.method",
            ENUM),
        invalid(
            "rejects fewer fine clusters than experts",
            m -> m.set("/spec/partitioning/fineClusters", 2),
            "spec.partitioning.fineClusters",
            "must be ≥ spec.partitioning.experts"),
        invalid(
            "rejects torchscript features without a model URI",
            m -> m.set("/spec/partitioning/features/type", "torchscript"),
            "spec.partitioning.features.modelUri",
            "is required when"),
        invalid(
            "rejects a torchscript model that is not an s3 object",
            m ->
                m.set(
                    "/spec/partitioning/features",
                    Map.of("type", "torchscript", "modelUri", "https://models/embed.pt")),
            "spec.partitioning.features.modelUri",
            PATTERN),
        // model
        invalid(
            "rejects a model with neither a preset nor a layout",
            m -> m.remove("/spec/model/preset"),
            "spec.model",
            "must set either spec.model.preset"),
        invalid(
            "rejects a model with both a preset and an explicit layout",
            m ->
                m.set("/spec/model/depth", 4)
                    .set("/spec/model/width", 128)
                    .set("/spec/model/heads", 4),
            "spec.model",
            "must set either spec.model.preset"),
        invalid(
            "rejects an explicit layout without its number of heads",
            m ->
                m.remove("/spec/model/preset")
                    .set("/spec/model/depth", 4)
                    .set("/spec/model/width", 128),
            "spec.model.heads",
            "must be set together"),
        invalid(
            "rejects an unknown model preset",
            m -> m.set("/spec/model/preset", "XXL"),
            "spec.model.preset",
            ENUM),
        invalid(
            "rejects a width that is not a multiple of the heads",
            m ->
                m.remove("/spec/model/preset")
                    .set("/spec/model/depth", 4)
                    .set("/spec/model/width", 100)
                    .set("/spec/model/heads", 3),
            "spec.model.width",
            "must be a multiple of spec.model.heads"),
        invalid(
            "rejects class conditioning without a number of classes",
            m -> m.set("/spec/model/conditioning", "class").set("/spec/dataset/labelKey", "cls"),
            "spec.model.numClasses",
            "is required when"),
        invalid(
            "rejects class conditioning of a dataset without labels",
            m -> m.set("/spec/model/conditioning", "class").set("/spec/model/numClasses", 10),
            "spec.dataset.labelKey",
            "is required when"),
        invalid(
            "rejects ImageNet statistics for grey images",
            m ->
                m.set("/spec/dataset/channels", 1)
                    .set(
                        "/spec/partitioning/features",
                        java.util.Map.of(
                            "type", "torchscript",
                            "modelUri", "s3://models/dino.pt",
                            "normalization", "imagenet")),
            "spec.partitioning.features.normalization",
            "needs RGB images"),
        invalid(
            "rejects an encoder input size below 16",
            m -> m.set("/spec/partitioning/features", java.util.Map.of("inputSize", 8)),
            "spec.partitioning.features.inputSize",
            "should be greater than or equal to 16"),
        invalid(
            "rejects a patch size that does not divide the image size",
            m -> m.set("/spec/model/patchSize", 3),
            "spec.model.patchSize",
            "must divide spec.dataset.imageSize"),
        invalid(
            "rejects 1024 px pixels at patch 2 (262144 tokens)",
            m -> m.set("/spec/dataset/imageSize", 1024),
            "spec.model.patchSize",
            "(size / patchSize)^2 tokens must be at most 4096"),
        invalid(
            "rejects a latent data set that does not describe its latents",
            m -> m.set("/spec/dataset/format", "latents"),
            "spec.dataset.latents",
            "required when spec.dataset.format is latents"),
        invalid(
            "rejects a latent format that is not known",
            m -> m.set("/spec/dataset/format", "tokens"),
            "spec.dataset.format",
            ENUM),
        invalid(
            "rejects an encode stage for an image data set",
            m -> m.set("/spec/dataset/encode", Map.of("encoderUri", "s3://models/vae-encoder.pt")),
            "spec.dataset.encode",
            "needs spec.dataset.format latents"),
        invalid(
            "rejects an encode stage without an encoder",
            m ->
                m.set("/spec/dataset/format", "latents")
                    .set("/spec/dataset/latents", Map.of("channels", 4, "size", 8))
                    .set("/spec/dataset/encode", Map.of("batchSize", 8))
                    .set("/spec/inference/decoderUri", "s3://models/vae-decoder.pt"),
            "spec.dataset.encode.encoderUri",
            REQUIRED),
        invalid(
            "rejects a latent side the patch does not divide",
            m ->
                m.set("/spec/dataset/format", "latents")
                    .set("/spec/dataset/latents", Map.of("channels", 4, "size", 9))
                    .set("/spec/inference/decoderUri", "s3://models/vae-decoder.pt"),
            "spec.model.patchSize",
            "must divide spec.dataset.latents.size"),
        invalid(
            "rejects serving a latent run without a decoder",
            m ->
                m.set("/spec/dataset/format", "latents")
                    .set("/spec/dataset/latents", Map.of("channels", 4, "size", 8)),
            "spec.inference.decoderUri",
            "required to serve a latent run"),
        invalid(
            "rejects embedding features without the part that holds them",
            m -> m.set("/spec/partitioning/features", Map.of("type", "embedding")),
            "spec.partitioning.features.embeddingKey",
            "required when spec.partitioning.features.type is embedding"),
        invalid(
            "rejects a router layout that gives a depth only",
            m -> m.set("/spec/router/depth", 4),
            "spec.router",
            "must be set together"),
        invalid(
            "rejects a router patch that does not divide the image",
            m -> m.set("/spec/router/patchSize", 3),
            "spec.router.patchSize",
            "must divide the input side"),
        invalid(
            "rejects a router warm-up as long as its training",
            m -> m.set("/spec/router/warmupSteps", 200),
            "spec.router.warmupSteps",
            "less than spec.router.steps"),
        invalid(
            "rejects an unknown router time sampling",
            m -> m.set("/spec/router/timeSampling", "cosine"),
            "spec.router.timeSampling",
            ENUM),
        // training
        invalid(
            "rejects zero training steps",
            m -> m.set("/spec/training/steps", 0),
            "spec.training.steps",
            MIN),
        invalid(
            "rejects a learning rate of zero",
            m -> m.set("/spec/training/learningRate", 0),
            "spec.training.learningRate",
            "greater than 0"),
        invalid(
            "rejects a warm-up as long as the training",
            m -> m.set("/spec/training/warmupSteps", 300),
            "spec.training.warmupSteps",
            "must be < spec.training.steps"),
        invalid(
            "rejects an unknown training precision",
            m -> m.set("/spec/training/precision", "int8"),
            "spec.training.precision",
            ENUM),
        invalid(
            "rejects bf16, which the trainer's engine cannot run",
            m -> m.set("/spec/training/precision", "bf16"),
            "spec.training.precision",
            ENUM),
        // islands and placement
        invalid(
            "rejects a run without islands",
            m -> m.set("/spec/islands", List.of()),
            "spec.islands",
            "at least 1 items"),
        invalid(
            "rejects the same island listed twice",
            m -> m.set("/spec/islands", List.of("island-a", "island-a")),
            "spec.islands",
            "must not repeat a name"),
        invalid(
            "rejects an island name that is not a Kubernetes name",
            m -> m.set("/spec/islands/1", "Island_B"),
            "spec.islands[1]",
            PATTERN),
        invalid(
            "rejects placing an expert the run does not have",
            m -> m.set("/spec/placement/0/expert", 4),
            "spec.placement",
            "spec.placement[].expert must be < spec.partitioning.experts"),
        invalid(
            "rejects placing an expert on an island the run does not list",
            m -> m.set("/spec/placement/0/island", "island-z"),
            "spec.placement",
            "must be one of spec.islands"),
        invalid(
            "rejects placing the same expert twice",
            m ->
                m.set(
                    "/spec/placement",
                    List.of(
                        Map.of("expert", 1, "island", "island-a"),
                        Map.of("expert", 1, "island", "island-b"))),
            "spec.placement",
            "each expert at most once"),
        // pods
        invalid(
            "rejects more GPUs per expert than a node can have",
            m -> m.set("/spec/resources/gpus", 17),
            "spec.resources.gpus",
            MAX),
        invalid(
            "rejects an unknown image pull policy",
            m -> m.set("/spec/imagePullPolicy", "Sometimes"),
            "spec.imagePullPolicy",
            ENUM),
        invalid(
            "rejects a router with zero steps",
            m -> m.set("/spec/router/steps", 0),
            "spec.router.steps",
            MIN),
        // storage
        invalid(
            "rejects a storage endpoint that is not an http URL",
            m -> m.set("/spec/storage/endpoint", "minio.minio.svc:9000"),
            "spec.storage.endpoint",
            PATTERN),
        invalid(
            "rejects a bucket name S3 would refuse",
            m -> m.set("/spec/storage/bucket", "Checkpoints_2024"),
            "spec.storage.bucket",
            PATTERN),
        invalid(
            "rejects an unknown storage deletion policy",
            m -> m.set("/spec/storage/deletionPolicy", "Archive"),
            "spec.storage.deletionPolicy",
            ENUM),
        // inference
        invalid(
            "rejects topk inference without topK",
            m -> m.set("/spec/inference/strategy", "topk"),
            "spec.inference.topK",
            "is required when spec.inference.strategy is topk"),
        invalid(
            "rejects a topK larger than the number of experts",
            m -> m.set("/spec/inference/strategy", "topk").set("/spec/inference/topK", 5),
            "spec.inference.topK",
            "must be ≤ spec.partitioning.experts"),
        invalid(
            "rejects a topK with a strategy that does not use it",
            m -> m.set("/spec/inference/topK", 2),
            "spec.inference.topK",
            "only allowed when"),
        invalid(
            "rejects an unknown sampler",
            m -> m.set("/spec/inference/sampler", "ddim"),
            "spec.inference.sampler",
            ENUM),
        invalid(
            "rejects a serving batch of no images",
            m -> m.set("/spec/inference/batching", Map.of("maxBatch", 0)),
            "spec.inference.batching.maxBatch",
            "should be greater than or equal to 1"),
        invalid(
            "rejects a negative wait to fill a serving batch",
            m -> m.set("/spec/inference/batching", Map.of("maxWaitMilliseconds", -1)),
            "spec.inference.batching.maxWaitMilliseconds",
            "should be greater than or equal to 0"),
        invalid(
            "rejects a negative number of expert replicas",
            m -> m.set("/spec/inference/expertReplicas", -1),
            "spec.inference.expertReplicas",
            "should be greater than or equal to 0"),
        // distillation, and serving its student
        invalid(
            "rejects serving the student of a run that does not distil",
            m -> m.set("/spec/inference/model", "student"),
            "spec.inference.model",
            "needs a student: set spec.distillation.enabled true"),
        invalid(
            "rejects distilling a one-expert monolith",
            m ->
                m.set("/spec/partitioning/experts", 1)
                    .set("/spec/distillation", Map.of("enabled", true)),
            "spec.distillation.enabled",
            "spec.partitioning.experts must be at least 2"),
        invalid(
            "rejects a distillation topK larger than the number of experts",
            m ->
                m.set("/spec/distillation", Map.of("enabled", true, "strategy", "topk", "topK", 5)),
            "spec.distillation.topK",
            "must be ≤ spec.partitioning.experts"),
        invalid(
            "rejects serving the student distributed",
            m ->
                m.set("/spec/distillation", Map.of("enabled", true))
                    .set("/spec/inference/model", "student")
                    .set("/spec/inference/topology", "distributed"),
            "spec.inference.topology",
            "must be colocated when spec.inference.model is student"),
        invalid(
            "rejects topk distillation without topK",
            m -> m.set("/spec/distillation", Map.of("enabled", true, "strategy", "topk")),
            "spec.distillation.topK",
            "is required when spec.distillation.strategy is topk"),
        invalid(
            "rejects a student warm-up as long as its training",
            m ->
                m.set(
                    "/spec/distillation",
                    Map.of("enabled", true, "steps", 100, "warmupSteps", 100)),
            "spec.distillation.warmupSteps",
            "must be less than spec.distillation.steps"),
        invalid(
            "rejects an unknown served model",
            m -> m.set("/spec/inference/model", "teacher"),
            "spec.inference.model",
            ENUM),
        // storage egress and pod lifecycle
        invalid(
            "rejects egress peers on a run whose NetworkPolicy is off",
            m ->
                m.set(
                    "/spec/storage/egress",
                    Map.of("enabled", false, "cidrs", List.of("10.0.0.0/8"))),
            "spec.storage.egress",
            "mean nothing with enabled: false"),
        invalid(
            "rejects an egress CIDR that is no CIDR",
            m -> m.set("/spec/storage/egress", Map.of("cidrs", List.of("s3.example.com"))),
            "spec.storage.egress.cidrs[0]",
            PATTERN),
        invalid(
            "rejects an egress port above 65535",
            m -> m.set("/spec/storage/egress", Map.of("ports", List.of(70000))),
            "spec.storage.egress.ports[0]",
            MAX),
        invalid(
            "rejects a zero termination grace period",
            m -> m.set("/spec/terminationGracePeriodSeconds", 0),
            "spec.terminationGracePeriodSeconds",
            MIN),
        // failure policy
        invalid(
            "rejects a negative restart budget",
            m -> m.set("/spec/failurePolicy/maxRestarts", -1),
            "spec.failurePolicy.maxRestarts",
            MIN),
        invalid(
            "rejects exit code 0 in an exit-code rule",
            m -> m.set("/spec/failurePolicy/exitCodeRules/0/exitCodes", List.of(0)),
            "spec.failurePolicy.exitCodeRules[0].exitCodes",
            "must be between 1 and 255"),
        invalid(
            "rejects an exit code listed under both Fail and Retry",
            m ->
                m.set(
                    "/spec/failurePolicy/exitCodeRules",
                    List.of(
                        Map.of("action", "Fail", "exitCodes", List.of(3, 4)),
                        Map.of("action", "Retry", "exitCodes", List.of(4)))),
            "spec.failurePolicy.exitCodeRules",
            "under two different actions"),
        // resources: quantities the API server would refuse in the Job or Deployment
        invalid(
            "rejects memory written as 4GB",
            m -> m.set("/spec/resources/memory", "4GB"),
            "spec.resources.memory",
            "must be a positive Kubernetes quantity"),
        invalid(
            "rejects memory written with a space, 16 GiB",
            m -> m.set("/spec/resources/memory", "16 GiB"),
            "spec.resources.memory",
            "must be a positive Kubernetes quantity"),
        invalid(
            "rejects negative memory",
            m -> m.set("/spec/resources/memory", "-4Gi"),
            "spec.resources.memory",
            "must be a positive Kubernetes quantity"),
        invalid(
            "rejects cpu written in words",
            m -> m.set("/spec/resources/cpu", "two cores"),
            "spec.resources.cpu",
            "must be a positive Kubernetes quantity"),
        invalid(
            "rejects zero cpu",
            m -> m.set("/spec/resources/cpu", 0),
            "spec.resources.cpu",
            "must be a positive Kubernetes quantity"),
        invalid(
            "rejects serving memory that is not a quantity",
            m -> m.set("/spec/inference/resources", Map.of("memory", "8 gigs")),
            "spec.inference.resources.memory",
            "must be a positive Kubernetes quantity"),
        invalid(
            "rejects zero serving replicas while inference is enabled",
            m -> m.set("/spec/inference/replicas", 0),
            "spec.inference.replicas",
            "must be at least 1 while inference is enabled"),
        invalid(
            "rejects a storage endpoint whose port is out of range",
            m -> m.set("/spec/storage/endpoint", "http://minio:99999"),
            "spec.storage.endpoint",
            "port outside 1-65535"),
        invalid(
            "rejects combining two experts of a one-expert monolith",
            m ->
                m.set("/spec/partitioning/experts", 1)
                    .set("/spec/inference/strategy", "topk")
                    .set("/spec/inference/topK", 2),
            "spec.inference.topK",
            "≤ spec.partitioning.experts"),
        invalid(
            "rejects synthetic options that do not parse",
            m -> m.set("/spec/dataset/uri", "synthetic://shapes?samples=lots"),
            "spec.dataset.uri",
            "synthetic://shapes options are samples, seed, shardSize and classes"),
        invalid(
            "rejects a Gaussian mixture trained as images",
            m -> m.set("/spec/dataset/uri", "synthetic://gmm?components=4"),
            "spec.dataset.format",
            "synthetic://gmm generates latent tensors"),
        invalid(
            "rejects Gaussian-mixture options that do not parse",
            m ->
                m.set("/spec/dataset/uri", "synthetic://gmm?components=4&separation=far")
                    .set("/spec/dataset/format", "latents")
                    .set("/spec/dataset/latents", Map.of("channels", 1, "size", 4)),
            "spec.dataset.uri",
            "synthetic://gmm options are samples, seed, shardSize, components"),
        invalid(
            "rejects synthetic zero samples",
            m -> m.set("/spec/dataset/uri", "synthetic://shapes?seed=1&samples=0"),
            "spec.dataset.uri",
            "samples and shardSize at least 1"),
        // metadata.name becomes label values and Service names of the children
        invalid(
            "rejects a run name with a dot",
            m -> m.set("/metadata/name", "run.v2"),
            "metadata.name",
            "must be a DNS-1035 label"),
        invalid(
            "rejects a run name starting with a digit",
            m -> m.set("/metadata/name", "2024-run"),
            "metadata.name",
            "must be a DNS-1035 label"),
        invalid(
            "rejects a run name longer than 63 characters",
            m -> m.set("/metadata/name", "r" + "-long".repeat(13)),
            "metadata.name",
            "must be a DNS-1035 label"),
        invalid(
            "rejects an unknown exit-code action",
            m -> m.set("/spec/failurePolicy/exitCodeRules/0/action", "Ignore"),
            "spec.failurePolicy.exitCodeRules[0].action",
            ENUM));
  }

  private static InvalidManifest invalid(
      String sentence, UnaryOperator<Manifest> edit, String field, String reason) {
    return new InvalidManifest(sentence, BASE, edit, field, reason);
  }
}
