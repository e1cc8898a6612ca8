package dev.archipelago.operator.run.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import org.junit.jupiter.api.Test;

class TrainingNetworkPolicyDependentTest {

  @Test
  void anIpEndpointIsPinnedToThatAddressAndPort() {
    NetworkPolicyEgressRule rule = TrainingNetworkPolicyDependent.storage("http://10.1.2.3:9000");

    assertThat(rule.getTo())
        .singleElement()
        .satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("10.1.2.3/32"));
    assertThat(rule.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9000));
  }

  @Test
  void aHostNameEndpointAllowsOnlyItsPortBecauseNetworkPoliciesCannotNameHosts() {
    NetworkPolicyEgressRule rule = TrainingNetworkPolicyDependent.storage("https://s3.example.com");

    assertThat(rule.getTo()).isEmpty();
    assertThat(rule.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(443));
  }
}
