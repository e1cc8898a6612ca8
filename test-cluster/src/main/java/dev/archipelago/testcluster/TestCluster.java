package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/**
 * What a test gets from {@link TestClusterExtension}: the shared cluster, an admin client bound to
 * the test's own namespace, node pools and pod outcomes, and clients with other identities.
 */
public final class TestCluster {
  private final ClusterBackend backend;
  private final KubernetesClient client;
  private final TestNamespace namespace;
  private final GpuNodePools nodePools;
  private final PodOutcomes pods;

  TestCluster(ClusterBackend backend, KubernetesClient client, TestNamespace namespace) {
    this.backend = backend;
    this.client = client;
    this.namespace = namespace;
    this.nodePools = new GpuNodePools(client);
    this.pods = new PodOutcomes(client, namespace.name());
  }

  /** A cluster-admin client whose default namespace is the test's namespace. */
  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace.name();
  }

  public ClusterBackend backend() {
    return backend;
  }

  /** A cluster-admin kubeconfig file for command-line tools (helm, kubectl). */
  public Path adminKubeconfig() {
    return backend.adminKubeconfig();
  }

  /** Simulated GPU node pools; only on a backend that {@link ClusterBackend#simulatesNodes()}. */
  public GpuNodePools nodePools() {
    requireSimulatedNodes("GPU node pools");
    return nodePools;
  }

  /** Scripted pod endings; only on a backend that {@link ClusterBackend#simulatesNodes()}. */
  public PodOutcomes pods() {
    requireSimulatedNodes("scripted pod outcomes");
    return pods;
  }

  /**
   * A client that authenticates as a ServiceAccount of the test namespace with a short-lived token
   * from the TokenRequest API, so RBAC applies to it as to a pod's identity.
   */
  public KubernetesClient clientAs(String serviceAccount) {
    return clientAs(namespace(), serviceAccount);
  }

  /**
   * Like {@link #clientAs(String)} for a ServiceAccount of any namespace, e.g. one a Helm release
   * created; the client's default namespace is the ServiceAccount's.
   */
  public KubernetesClient clientAs(String serviceAccountNamespace, String serviceAccount) {
    TokenRequest request =
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
    String token =
        client
            .serviceAccounts()
            .inNamespace(serviceAccountNamespace)
            .withName(serviceAccount)
            .tokenRequest(request)
            .getStatus()
            .getToken();
    Config admin = backend.adminConfig();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(admin.getMasterUrl())
            .withCaCertData(admin.getCaCertData())
            .withCaCertFile(admin.getCaCertFile())
            .withTrustCerts(admin.isTrustCerts())
            .withOauthToken(token)
            .withNamespace(serviceAccountNamespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  void deleteCreatedNodes() {
    nodePools.deleteCreated();
  }

  private void requireSimulatedNodes(String feature) {
    if (!backend.simulatesNodes()) {
      throw new UnsupportedOperationException(
          feature + " need the kwok backend; " + backend.describe() + " runs real kubelets");
    }
  }
}
