package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a {@link TestCluster}: the run's one shared cluster (see {@link TestClusters})
 * and a fresh namespace that is deleted afterwards. When a test fails, its namespace's events and
 * objects and the control plane's logs are written under {@code target/cluster-dumps/}.
 *
 * <pre>{@code
 * @ExtendWith(TestClusterExtension.class)
 * class SchedulingIT {
 *   @Test void placesPodsOnTheirPool(TestCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class TestClusterExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(TestClusterExtension.class);
  private static final Path DUMP_ROOT = Path.of("target", "cluster-dumps");

  @Override
  public void beforeEach(ExtensionContext context) {
    ClusterBackend backend = TestClusters.shared();
    String namespace = namespaceFor(context.getTestMethod());
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(backend.adminConfig()).withNamespace(namespace).build())
            .build();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels("archipelago.dev/test", "true")
                .endMetadata()
                .build())
        .create();
    context
        .getStore(STORE)
        .put(TestCluster.class, new TestCluster(backend, client, new TestNamespace(namespace)));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestCluster cluster = context.getStore(STORE).remove(TestCluster.class, TestCluster.class);
    if (cluster == null) {
      return;
    }
    try (KubernetesClient client = cluster.client()) {
      if (context.getExecutionException().isPresent()) {
        Path dir =
            DUMP_ROOT
                .resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName());
        new FailureDump(client, cluster.namespace(), cluster.backend()).writeTo(dir);
      }
      cluster.deleteCreatedNodes();
      client.namespaces().withName(cluster.namespace()).delete();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestCluster.class
        || type == KubernetesClient.class
        || type == TestNamespace.class
        || type == GpuNodePools.class
        || type == PodOutcomes.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestCluster cluster = context.getStore(STORE).get(TestCluster.class, TestCluster.class);
    if (cluster == null) {
      throw new IllegalStateException("TestCluster parameters are only available to test methods");
    }
    Class<?> type = parameter.getParameter().getType();
    if (type == KubernetesClient.class) {
      return cluster.client();
    }
    if (type == TestNamespace.class) {
      return new TestNamespace(cluster.namespace());
    }
    if (type == GpuNodePools.class) {
      return cluster.nodePools();
    }
    if (type == PodOutcomes.class) {
      return cluster.pods();
    }
    return cluster;
  }

  /** A DNS-1123 label: the test method's name, shortened, plus a random suffix. */
  static String namespaceFor(Optional<Method> testMethod) {
    String method =
        testMethod
            .map(Method::getName)
            .orElse("test")
            .replaceAll("([a-z])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-");
    if (method.length() > 40) {
      method = method.substring(0, 40);
    }
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    return ("t-" + method).replaceAll("-+$", "") + "-" + suffix;
  }
}
