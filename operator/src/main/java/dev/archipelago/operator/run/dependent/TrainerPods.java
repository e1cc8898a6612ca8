package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.ComputeIslandSpec;
import dev.archipelago.api.spec.CredentialsSecretRef;
import dev.archipelago.api.spec.LocalObjectRef;
import dev.archipelago.api.spec.PodResources;
import dev.archipelago.api.spec.PodSettings;
import dev.archipelago.operator.run.ChildNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod every trainer Job runs: one container of the trainer image, the run config mounted
 * read-only, a scratch emptyDir, S3 credentials straight from the user's Secret, and the
 * "restricted" Pod Security Standard (non-root, read-only root filesystem, no privilege escalation,
 * every capability dropped, RuntimeDefault seccomp). No ServiceAccount token: trainers never call
 * the Kubernetes API.
 */
public final class TrainerPods {
  /** The trainer subcommand that reads its {@link Task} from the environment and runs it. */
  public static final String TASK_COMMAND = "task";

  static final String CONTAINER = "trainer";

  /**
   * The uid and gid the trainer image runs as (its Jib {@code container.user}): DJL's native
   * library was unpacked at build time for every uid to read, but the image and the pod agree.
   */
  static final long TRAINER_UID = 10001L;

  /** The JVM, JNA and DJL write temp files; the root filesystem is read-only. */
  static final String TMP_PATH = "/tmp";

  private TrainerPods() {}

  /** Annotations of a run's pod template: the user's, then the operator's {@code own}. */
  public static Map<String, String> annotations(DDMRun run, Map<String, String> own) {
    Map<String, String> annotations = new LinkedHashMap<>();
    PodSettings settings = run.getSpec().getPods();
    if (settings != null && settings.getAnnotations() != null) {
      annotations.putAll(settings.getAnnotations());
    }
    annotations.putAll(own);
    return annotations;
  }

  /** Labels shared by a run's pods; {@link Labels#RUN} selects all of them. */
  public static Map<String, String> labels(DDMRun run, Task task, String island) {
    Map<String, String> labels = new LinkedHashMap<>();
    PodSettings settings = run.getSpec().getPods();
    if (settings != null && settings.getLabels() != null) {
      // Admission keeps them out of archipelago.dev/, so they cannot shadow the operator's.
      labels.putAll(settings.getLabels());
    }
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.RUN, run.getMetadata().getName());
    labels.put(Labels.ROLE, task.role().label());
    if (task.expert() != null) {
      labels.put(Labels.EXPERT, Integer.toString(task.expert()));
    }
    labels.put(Labels.ATTEMPT, Integer.toString(task.attempt()));
    if (island != null) {
      labels.put(Labels.ISLAND, island);
    }
    return labels;
  }

  /**
   * @param island where the pod must run; its selector, tolerations and affinity are copied
   * @param gpuResource extended resource name of the island's GPUs
   * @param gpus GPUs to request (0 for CPU-only tasks such as partitioning)
   */
  public static PodSpec spec(
      DDMRun run,
      Task task,
      String image,
      ComputeIslandSpec island,
      String gpuResource,
      int gpus,
      PodResources resources) {
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            // Time to finish the step, checkpoint and exit 75 after SIGTERM.
            .withTerminationGracePeriodSeconds(
                run.getSpec().getTerminationGracePeriodSeconds().longValue())
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(TRAINER_UID)
            .withRunAsGroup(TRAINER_UID)
            .withFsGroup(TRAINER_UID)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(container(run, task, image, gpuResource, gpus, resources))
            .addNewVolume()
            .withName("run-config")
            .withNewConfigMap()
            .withName(ChildNames.configMap(run.getMetadata().getName()))
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume();
    if (island != null) {
      pod.withNodeSelector(island.getNodeSelector())
          .withTolerations(island.getTolerations())
          .withAffinity(island.getAffinity());
    }
    PodSettings settings = run.getSpec().getPods();
    if (settings != null) {
      pod.withServiceAccountName(settings.getServiceAccountName())
          .withPriorityClassName(settings.getPriorityClassName());
    }
    List<LocalObjectRef> pullSecrets = run.getSpec().getImagePullSecrets();
    if (pullSecrets != null) {
      pullSecrets.forEach(s -> pod.addToImagePullSecrets(new LocalObjectReference(s.getName())));
    }
    return pod.build();
  }

  private static Container container(
      DDMRun run, Task task, String image, String gpuResource, int gpus, PodResources resources) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy(run.getSpec().getImagePullPolicy().name())
        .withArgs(TASK_COMMAND)
        // The trainer writes why it failed to /dev/termination-log; a crash that wrote nothing
        // (a JVM abort) leaves the kubelet its log's tail instead.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withEnv(env(run, task, gpus))
        .withResources(resources(gpuResource, gpus, resources))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("run-config")
        .withMountPath(PodEnv.CONFIG_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("scratch")
        .withMountPath(PodEnv.SCRATCH_PATH)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath(TMP_PATH)
        .endVolumeMount()
        .build();
  }

  private static List<EnvVar> env(DDMRun run, Task task, int gpus) {
    List<EnvVar> env = new ArrayList<>();
    task.toEnv().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    // The trainer refuses to train on the CPU while it holds GPUs its engine cannot see.
    env.add(new EnvVar(PodEnv.GPUS, Integer.toString(gpus), null));
    env.add(new EnvVar(PodEnv.RUN_CONFIG_FILE, PodEnv.RUN_CONFIG_PATH, null));
    env.add(new EnvVar(PodEnv.SCRATCH_DIR, PodEnv.SCRATCH_PATH, null));
    // OpenMP (libtorch's intra-op pool) would otherwise start one thread per core of the NODE;
    // the container's CPU limit, rounded up to whole cores, is what it may use.
    env.add(
        new EnvVarBuilder()
            .withName("OMP_NUM_THREADS")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withContainerName(CONTAINER)
            .withResource("limits.cpu")
            .withDivisor(new Quantity("1"))
            .endResourceFieldRef()
            .endValueFrom()
            .build());
    CredentialsSecretRef creds = run.getSpec().getStorage().getCredentialsSecretRef();
    if (creds != null) {
      env.add(secretEnv(PodEnv.ACCESS_KEY_ID, creds.getName(), creds.getAccessKeyIdKey()));
      env.add(secretEnv(PodEnv.SECRET_ACCESS_KEY, creds.getName(), creds.getSecretAccessKeyKey()));
    }
    return env;
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static ResourceRequirements resources(
      String gpuResource, int gpus, PodResources resources) {
    ResourceRequirementsBuilder r = new ResourceRequirementsBuilder();
    // Limits equal to requests: Guaranteed QoS, the last class the kubelet evicts or OOM-kills
    // under node pressure, for pods that hold days of training.
    r.addToRequests("cpu", resources.getCpu()).addToRequests("memory", resources.getMemory());
    r.addToLimits("cpu", resources.getCpu()).addToLimits("memory", resources.getMemory());
    if (gpus > 0) {
      Quantity q = new Quantity(Integer.toString(gpus));
      r.addToRequests(gpuResource, q).addToLimits(gpuResource, q);
    }
    return r.build();
  }
}
