package dev.archipelago.operator.run.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.spec.StorageEgress;
import dev.archipelago.api.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingNetworkPolicyDependentTest {

  @Test
  void anIpEndpointIsPinnedToThatAddressAndPort() {
    NetworkPolicyEgressRule rule = rule("http://10.1.2.3:9000", new StorageEgress());

    assertThat(rule.getTo())
        .singleElement()
        .satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("10.1.2.3/32"));
    assertThat(ports(rule)).containsExactly(9000);
  }

  @Test
  void aHostNameEndpointAllowsOnlyItsPortBecauseNetworkPoliciesCannotNameHosts() {
    NetworkPolicyEgressRule rule = rule("https://s3.example.com", new StorageEgress());

    assertThat(rule.getTo()).isEmpty();
    assertThat(ports(rule)).containsExactly(443);
  }

  @Test
  void anInClusterStoreIsItsPodsInTheirNamespacesOnTheirOwnPort() {
    StorageEgress egress = new StorageEgress();
    egress.setNamespaceSelector(
        new LabelSelectorBuilder()
            .addToMatchLabels("kubernetes.io/metadata.name", "storage")
            .build());
    egress.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "minio").build());
    // The Service listens on 80 and forwards to the pods' 9000; the policy sees 9000.
    egress.setPorts(List.of(9000));

    NetworkPolicyEgressRule rule = rule("http://minio.storage.svc", egress);

    assertThat(rule.getTo())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPodSelector().getMatchLabels()).containsEntry("app", "minio");
              assertThat(p.getNamespaceSelector().getMatchLabels())
                  .containsEntry("kubernetes.io/metadata.name", "storage");
              assertThat(p.getIpBlock()).isNull();
            });
    assertThat(ports(rule)).containsExactly(9000);
  }

  @Test
  void anExternalStoreIsItsAddressesEvenWhenTheEndpointIsAnIp() {
    StorageEgress egress = new StorageEgress();
    egress.setCidrs(List.of("203.0.113.0/24", "198.51.100.7/32"));

    NetworkPolicyEgressRule rule = rule("https://192.0.2.10", egress);

    assertThat(rule.getTo())
        .extracting(p -> p.getIpBlock().getCidr())
        .containsExactly("203.0.113.0/24", "198.51.100.7/32");
    assertThat(ports(rule)).containsExactly(443);
  }

  private static NetworkPolicyEgressRule rule(String endpoint, StorageEgress egress) {
    StorageSpec storage = new StorageSpec();
    storage.setEndpoint(endpoint);
    storage.setEgress(egress);
    return TrainingNetworkPolicyDependent.storage(storage);
  }

  private static List<Integer> ports(NetworkPolicyEgressRule rule) {
    return rule.getPorts().stream()
        .map(NetworkPolicyPort::getPort)
        .map(p -> p.getIntVal())
        .toList();
  }
}
