package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.Task;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceTopology;
import dev.archipelago.api.spec.ServingBatching;
import dev.archipelago.api.spec.ServingPrecision;
import dev.archipelago.operator.run.ChildNames;
import dev.archipelago.operator.run.RunPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving objects: `archipelago serve` in one Deployment (colocated), or a router Deployment
 * plus one per expert (distributed), the Service clients call, and a PodDisruptionBudget per
 * Deployment. Readiness is `/readyz`. A distilled student ({@code inference.model: student}) is
 * served colocated: `serve` reads the model to load from the run config.
 */
public final class ServingObjects {
  public static final int PORT = 8080;

  /**
   * {@code archipelago serve --probe-port}'s default: /healthz and /readyz on their own threads.
   */
  public static final int PROBE_PORT = 8081;

  static final String PROBE_PORT_NAME = "probes";
  private static final int PROBE_TIMEOUT_SECONDS = 2;
  private static final int STARTUP_FAILURES = 360;
  static final String COMPONENT = "app.kubernetes.io/component";

  private ServingObjects() {}

  /**
   * Whether serving is split into a router and one Deployment per expert. A student is one model
   * with nothing to split; admission already requires it colocated, and this keeps it so.
   */
  public static boolean distributed(InferenceSpec spec) {
    return spec.getTopology() == InferenceTopology.DISTRIBUTED && !spec.servesStudent();
  }

  public static Map<String, Deployment> deployments(RunPlan plan, ComputeIsland island) {
    DDMRun run = plan.run();
    String name = run.getMetadata().getName();
    InferenceSpec spec = run.getSpec().getInference();
    Map<String, Deployment> out = new LinkedHashMap<>();
    if (distributed(spec)) {
      List<String> experts = new ArrayList<>();
      for (int k = 0; k < run.getSpec().getPartitioning().getExperts(); k++) {
        String expert = ChildNames.inferenceExpert(name, k);
        out.put(
            expert,
            deployment(
                plan,
                island,
                expert,
                "expert-" + k,
                serveArgs(spec, "--role", "expert", "--expert", Integer.toString(k))));
        experts.add("http://" + expert + ":" + PORT);
      }
      String router = ChildNames.inferenceRouter(name);
      out.put(
          router,
          deployment(
              plan,
              island,
              router,
              "router",
              serveArgs(spec, "--role", "router", "--expert-urls", String.join(",", experts))));
    } else {
      String colocated = ChildNames.inferenceRouter(name);
      out.put(colocated, deployment(plan, island, colocated, "router", serveArgs(spec)));
    }
    return out;
  }

  /** {@code serve}'s arguments: the role's, then the run's batching and precision settings. */
  private static List<String> serveArgs(InferenceSpec spec, String... role) {
    ServingBatching batching =
        spec.getBatching() == null ? new ServingBatching() : spec.getBatching();
    List<String> args = new ArrayList<>(List.of("serve"));
    args.addAll(List.of(role));
    args.addAll(
        List.of(
            "--max-batch",
            Integer.toString(batching.getMaxBatch()),
            "--batch-wait-ms",
            Integer.toString(batching.getMaxWaitMilliseconds()),
            "--precision",
            spec.getPrecision() == null
                ? ServingPrecision.AUTO.flag()
                : spec.getPrecision().flag()));
    return args;
  }

  /**
   * One PodDisruptionBudget per serving Deployment: a drain or an autoscaler takes its replicas one
   * at a time, so a Deployment with several keeps serving; with one replica, eviction is still
   * allowed (a budget of zero would block node drains for good).
   */
  public static List<PodDisruptionBudget> disruptionBudgets(DDMRun run) {
    String name = run.getMetadata().getName();
    List<PodDisruptionBudget> budgets = new ArrayList<>();
    budgets.add(disruptionBudget(run, ChildNames.inferenceRouter(name), "router"));
    if (distributed(run.getSpec().getInference())) {
      for (int k = 0; k < run.getSpec().getPartitioning().getExperts(); k++) {
        budgets.add(disruptionBudget(run, ChildNames.inferenceExpert(name, k), "expert-" + k));
      }
    }
    return budgets;
  }

  private static PodDisruptionBudget disruptionBudget(
      DDMRun run, String deployment, String component) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(run, deployment, component))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(servingPods(run, component))
        .endSelector()
        .endSpec()
        .build();
  }

  /**
   * The Services: the client-facing one in front of the router (colocated: the only Deployment)
   * and, distributed, one per expert Deployment under the same name, which the router calls.
   */
  public static List<Service> services(DDMRun run) {
    String name = run.getMetadata().getName();
    List<Service> services = new ArrayList<>();
    services.add(service(run, ChildNames.service(name), "router"));
    if (distributed(run.getSpec().getInference())) {
      for (int k = 0; k < run.getSpec().getPartitioning().getExperts(); k++) {
        services.add(service(run, ChildNames.inferenceExpert(name, k), "expert-" + k));
      }
    }
    return services;
  }

  private static Service service(DDMRun run, String serviceName, String component) {
    return new ServiceBuilder()
        .withMetadata(metadata(run, serviceName, component))
        .withNewSpec()
        .withSelector(servingPods(run, component))
        .addNewPort()
        .withName("http")
        .withPort(PORT)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }

  /** A serving object's name and the labels the operator finds it by. */
  private static ObjectMeta metadata(DDMRun run, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(run.getMetadata().getNamespace())
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .addToLabels(Labels.RUN, run.getMetadata().getName())
        .addToLabels(COMPONENT, component)
        .build();
  }

  /** The labels that select one component's serving pods. */
  private static Map<String, String> servingPods(DDMRun run, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.RUN, run.getMetadata().getName());
    labels.put(Labels.ROLE, Role.SERVE.label());
    labels.put(COMPONENT, component);
    return labels;
  }

  private static Deployment deployment(
      RunPlan plan, ComputeIsland island, String name, String component, List<String> args) {
    DDMRun run = plan.run();
    InferenceSpec spec = run.getSpec().getInference();
    Task task = Task.of(Role.SERVE, 1);
    Map<String, String> labels =
        new LinkedHashMap<>(TrainerPods.labels(run, task, island.getMetadata().getName()));
    labels.remove(Labels.ATTEMPT);
    labels.put(COMPONENT, component);
    PodSpec pod =
        TrainerPods.spec(
            run,
            task,
            plan.trainerImage(),
            island.getSpec(),
            island.getSpec().getGpu().getResourceName(),
            spec.getResources().getGpus(),
            spec.getResources());
    pod.setRestartPolicy("Always");
    Container c = pod.getContainers().get(0);
    c.setArgs(args);
    c.setPorts(
        List.of(
            new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withName("http")
                .withContainerPort(PORT)
                .build(),
            new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withName(PROBE_PORT_NAME)
                .withContainerPort(PROBE_PORT)
                .build()));
    // The probes go to `serve`'s probe port, answered on threads of their own, so a loaded server
    // is never taken for a dead one. The startup probe waits for the weights (up to 30 minutes:
    // large experts download slowly) before liveness starts counting.
    c.setStartupProbe(probe("/readyz", 5, STARTUP_FAILURES));
    c.setReadinessProbe(probe("/readyz", 5, 3));
    c.setLivenessProbe(probe("/healthz", 10, 6));
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withReplicas(component.equals("router") ? spec.getReplicas() : spec.getExpertReplicas())
        .withNewSelector()
        .withMatchLabels(servingPods(run, component))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        // Serving reads the run config at start: a changed config rolls every replica, so that
        // replicas never serve under different settings.
        .withAnnotations(
            TrainerPods.annotations(
                run, Map.of(JobRenderer.RUN_CONFIG, JobRenderer.runConfigHash(run))))
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Probe probe(
      String path, int periodSeconds, int failureThreshold) {
    return new io.fabric8.kubernetes.api.model.ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(PROBE_PORT_NAME))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
