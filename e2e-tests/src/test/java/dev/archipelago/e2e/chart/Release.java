package dev.archipelago.e2e.chart;

import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release of the chart on the test cluster, and the operator identity and configuration it
 * declares, so that a test can run the operator in-process exactly as the Deployment would.
 */
public final class Release {
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private final TestCluster cluster;
  private final Helm helm;
  private final String name;
  private final String namespace;

  private Release(TestCluster cluster, String name, String namespace) {
    this.cluster = cluster;
    this.helm = Helm.on(cluster);
    this.name = name;
    this.namespace = namespace;
  }

  /** {@code helm install} into the test's namespace with the given values (YAML). */
  public static Release install(TestCluster cluster, String name, String valuesYaml) {
    Release release = new Release(cluster, name, cluster.namespace());
    release.helm.ok(release.args("install", valuesYaml));
    return release;
  }

  public void upgrade(String valuesYaml) {
    helm.ok(args("upgrade", valuesYaml));
  }

  public void uninstall() {
    helm.ok("uninstall", name, "--namespace", namespace, "--wait", "--timeout", "60s");
  }

  public String name() {
    return name;
  }

  public Deployment deployment() {
    return cluster
        .client()
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withLabel(INSTANCE_LABEL, name)
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("release " + name + " has no Deployment"));
  }

  public String serviceAccount() {
    return deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
  }

  /** A client that authenticates as the release's ServiceAccount (TokenRequest). */
  public KubernetesClient operatorClient() {
    return cluster.clientAs(namespace, serviceAccount());
  }

  /** The operator's configuration, read from the env the chart gives its container. */
  public OperatorConfig operatorConfig() {
    return OperatorConfig.fromEnv(operatorEnv());
  }

  public Map<String, String> operatorEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var :
        deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      // The API server drops empty values; a container sees them as "".
      env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
    }
    return env;
  }

  private String[] args(String verb, String valuesYaml) {
    List<String> args = new ArrayList<>(List.of(verb, name, ChartFiles.CHART.toString()));
    args.addAll(List.of("--namespace", namespace, "--values", write(valuesYaml)));
    return args.toArray(String[]::new);
  }

  private static String write(String valuesYaml) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "helm-values"));
      Path file = Files.createTempFile(dir, "values-", ".yaml");
      Files.writeString(file, valuesYaml);
      return file.toAbsolutePath().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
