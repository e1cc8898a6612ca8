package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.PodResources;
import dev.archipelago.operator.run.ChildNames;
import dev.archipelago.operator.run.Digests;
import dev.archipelago.operator.run.policy.PodFailureRules;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the run's trainer Jobs. An expert Job is one attempt: backoffLimit 0, every failure fails
 * the Job, and the operator decides about the next attempt. Partition and router Jobs let the Job
 * controller retry (disruptions ignored, permanent exit codes fail at once).
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

  public JobRenderer(DDMRun run, String image) {
    this.run = run;
    this.image = image;
    this.runConfig = runConfigHash(run);
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
  public Job expert(
      int expert,
      int attempt,
      ComputeIsland island,
      PodFailureRules rules,
      int restartsBefore,
      int disruptionsBefore) {
    Task task = Task.expert(expert, attempt);
    PodResources resources = run.getSpec().getResources();
    Job job =
        job(
            ChildNames.expertJob(run.getMetadata().getName(), expert, attempt),
            task,
            island,
            resources.getGpus(),
            0,
            rules.podFailurePolicy());
    job.getMetadata().getAnnotations().put(RESTARTS_BEFORE, Integer.toString(restartsBefore));
    job.getMetadata().getAnnotations().put(DISRUPTIONS_BEFORE, Integer.toString(disruptionsBefore));
    job.getMetadata()
        .getAnnotations()
        .put(TARGET_STEPS, Long.toString(run.getSpec().getTraining().getSteps()));
    return job;
  }

  /**
   * The partition gets one GPU when experts get any, as the router does: it runs the feature
   * encoder, and a CUDA image's engine starts only where the device plugin has mounted the driver.
   */
  public Job partition(ComputeIsland island) {
    Task task = Task.of(Role.PARTITION, 1);
    return job(
        ChildNames.partitionJob(run.getMetadata().getName()),
        task,
        island,
        Math.min(1, run.getSpec().getResources().getGpus()),
        run.getSpec().getFailurePolicy().getMaxRestarts(),
        PodFailureRules.jobControllerRetries(run.getSpec().getFailurePolicy()));
  }

  public Job router(ComputeIsland island) {
    Task task = Task.of(Role.ROUTER, 1);
    return job(
        ChildNames.routerJob(run.getMetadata().getName(), 1),
        task,
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
