package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterLocations;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.operator.run.ChildNames;
import dev.archipelago.operator.run.Digests;
import dev.archipelago.operator.run.policy.PodFailureRules;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Renders the run's trainer Jobs. An expert Job is one attempt: backoffLimit 0, every failure fails
 * the Job, and the operator decides about the next attempt. Partition, router and distillation Jobs
 * let the Job controller retry (disruptions ignored, permanent exit codes fail at once).
 */
public final class JobRenderer {
  /**
   * Counters as they stood when an attempt's Job was created. The Job outlives any cache or
   * operator restart, so the counters can always be rebuilt from the newest attempt.
   */
  public static final String RESTARTS_BEFORE = "archipelago.dev/restarts-before";

  public static final String DISRUPTIONS_BEFORE = "archipelago.dev/disruptions-before";

  /**
   * A hash of the Job's spec as rendered. Jobs are created and deleted, never updated (their pod
   * template is immutable), so a spec edit reaches the next attempt; comparing this with a fresh
   * rendering tells which running attempts still run the old spec.
   */
  public static final String RENDERED_SPEC = "archipelago.dev/rendered-spec";

  /** On the pod template: the run config the pod reads at start, so a config edit counts too. */
  public static final String RUN_CONFIG = "archipelago.dev/run-config";

  /** The label by which Kueue queues a Job in a LocalQueue. */
  public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

  /** The step target an expert attempt was rendered with; its success is recorded at it. */
  public static final String TARGET_STEPS = "archipelago.dev/target-steps";

  private final DDMRun run;
  private final String image;
  private final String runConfig;
  private final RenderedSpecs specs;
  private final Optional<ClusterLocations> clusterLocations;
  // Serialized once: it keys every rendering's cached hash.
  private final String clusterLocationsJson;

  /**
   * @param specs spec hashes of earlier renderings, kept across reconciles
   */
  public JobRenderer(DDMRun run, String image, RenderedSpecs specs) {
    this(run, image, specs, Optional.empty());
  }

  /**
   * @param clusterLocations where the partition writes the clusters of experts whose island has a
   *     bucket of its own, if any has
   */
  public JobRenderer(
      DDMRun run, String image, RenderedSpecs specs, Optional<ClusterLocations> clusterLocations) {
    this.clusterLocations = clusterLocations;
    this.clusterLocationsJson = clusterLocations.map(ContractJson::write).orElse("");
    this.run = run;
    this.image = image;
    this.runConfig = runConfigHash(run);
    this.specs = specs;
  }

  /** A hash of the run config pods read at start. */
  public static String runConfigHash(DDMRun run) {
    return Digests.sha256(RunConfig.forRun(run).toJson()).substring(0, 16);
  }

  /** The spec hash a Job was created with, if it records one. */
  public static Optional<String> renderedSpec(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(RENDERED_SPEC));
  }

  /**
   * @param restartsBefore restarts counted before this attempt, recorded on the Job
   * @param disruptionsBefore disruptions before this attempt, recorded on the Job
   */
  public Rendering expert(
      int expert,
      int attempt,
      ComputeIsland island,
      PodFailureRules rules,
      int restartsBefore,
      int disruptionsBefore) {
    String name = ChildNames.expertJob(run.getMetadata().getName(), expert, attempt);
    return rendering(
        name,
        island,
        () -> {
          Job job =
              job(
                  name,
                  Task.expert(expert, attempt),
                  island,
                  run.getSpec().getResources().getGpus(),
                  0,
                  rules.podFailurePolicy());
          Map<String, String> annotations = job.getMetadata().getAnnotations();
          annotations.put(RESTARTS_BEFORE, Integer.toString(restartsBefore));
          annotations.put(DISRUPTIONS_BEFORE, Integer.toString(disruptionsBefore));
          annotations.put(TARGET_STEPS, Long.toString(run.getSpec().getTraining().getSteps()));
          return job;
        });
  }

  public Rendering partition(ComputeIsland island) {
    return rendering(
        ChildNames.partitionJob(run.getMetadata().getName()),
        island,
        () -> renderPartition(island));
  }

  public Rendering encode(ComputeIsland island) {
    return rendering(
        ChildNames.encodeJob(run.getMetadata().getName()), island, () -> renderEncode(island));
  }

  public Rendering router(ComputeIsland island) {
    String name = ChildNames.routerJob(run.getMetadata().getName(), 1);
    return rendering(name, island, () -> renderRunWide(name, Role.ROUTER, island));
  }

  /** The student's Job, rendered as the router's: it runs after it, on the same island. */
  public Rendering distillation(ComputeIsland island) {
    String name = ChildNames.distillationJob(run.getMetadata().getName(), 1);
    return rendering(name, island, () -> renderRunWide(name, Role.DISTILL, island));
  }

  private Rendering rendering(String name, ComputeIsland island, Supplier<Job> render) {
    Supplier<String> hash = () -> renderedSpec(render.get()).orElseThrow();
    if (run.getMetadata().getUid() == null || run.getMetadata().getGeneration() == null) {
      // Not from the API server (a unit test): nothing identifies the spec, so nothing is cached.
      return new Rendering(render, hash);
    }
    RenderedSpecs.Key key =
        new RenderedSpecs.Key(
            run.getMetadata().getUid(),
            run.getMetadata().getGeneration(),
            image,
            name,
            island.getMetadata().getName(),
            island.getMetadata().getGeneration(),
            // Other islands' buckets shape the partition's Job too.
            clusterLocationsJson);
    return new Rendering(render, () -> specs.hash(key, hash));
  }

  /**
   * The partition gets one GPU when experts get any, as the router does: it runs the feature
   * encoder, and a CUDA image's engine starts only where the device plugin has mounted the driver.
   */
  private Job renderPartition(ComputeIsland island) {
    Task task = Task.of(Role.PARTITION, 1);
    return job(
        ChildNames.partitionJob(run.getMetadata().getName()),
        task,
        island,
        Math.min(1, run.getSpec().getResources().getGpus()),
        run.getSpec().getFailurePolicy().getMaxRestarts(),
        PodFailureRules.jobControllerRetries(run.getSpec().getFailurePolicy()),
        clusterLocations.isEmpty()
            ? List.of()
            : List.of(new EnvVar(PodEnv.CLUSTER_LOCATIONS, clusterLocationsJson, null)));
  }

  /** The encode stage runs the VAE encoder: one GPU when experts get any, as the partition. */
  private Job renderEncode(ComputeIsland island) {
    return job(
        ChildNames.encodeJob(run.getMetadata().getName()),
        Task.of(Role.ENCODE, 1),
        island,
        Math.min(1, run.getSpec().getResources().getGpus()),
        run.getSpec().getFailurePolicy().getMaxRestarts(),
        PodFailureRules.jobControllerRetries(run.getSpec().getFailurePolicy()));
  }

  /** A task of the whole run (router, student): one GPU when experts get any. */
  private Job renderRunWide(String name, Role role, ComputeIsland island) {
    return job(
        name,
        Task.of(role, 1),
        island,
        Math.min(1, run.getSpec().getResources().getGpus()),
        run.getSpec().getFailurePolicy().getMaxRestarts(),
        PodFailureRules.jobControllerRetries(run.getSpec().getFailurePolicy()));
  }

  private Job job(
      String name,
      Task task,
      ComputeIsland island,
      int gpus,
      int backoffLimit,
      PodFailurePolicy podFailurePolicy) {
    return job(name, task, island, gpus, backoffLimit, podFailurePolicy, List.of());
  }

  private Job job(
      String name,
      Task task,
      ComputeIsland island,
      int gpus,
      int backoffLimit,
      PodFailurePolicy podFailurePolicy,
      List<EnvVar> extraEnv) {
    String islandName = island.getMetadata().getName();
    Map<String, String> labels = TrainerPods.labels(run, task, islandName);
    Map<String, String> jobLabels = new LinkedHashMap<>(labels);
    if (run.getSpec().getQueueName() != null) {
      jobLabels.put(KUEUE_QUEUE_LABEL, run.getSpec().getQueueName());
    }
    PodSpec pod =
        TrainerPods.spec(
            run,
            task,
            image,
            island.getSpec(),
            island.getSpec().getGpu().getResourceName(),
            gpus,
            run.getSpec().getResources());
    pod.getContainers().get(0).getEnv().addAll(extraEnv);
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(run.getMetadata().getNamespace())
            .withLabels(jobLabels)
            .withAnnotations(new LinkedHashMap<>())
            .endMetadata()
            .withNewSpec()
            // With a queue, Kueue starts the Job when it admits it; the operator never touches
            // spec.suspend after creation, so the two never fight over it.
            .withSuspend(run.getSpec().getQueueName() != null ? Boolean.TRUE : null)
            .withBackoffLimit(backoffLimit)
            .withCompletions(1)
            .withParallelism(1)
            .withPodFailurePolicy(podFailurePolicy)
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(TrainerPods.annotations(run, Map.of(RUN_CONFIG, runConfig)))
            .endMetadata()
            .withSpec(pod)
            .endTemplate()
            .endSpec()
            .build();
    job.getMetadata().getAnnotations().put(RENDERED_SPEC, Digests.ofJson(job.getSpec()));
    return job;
  }
}
