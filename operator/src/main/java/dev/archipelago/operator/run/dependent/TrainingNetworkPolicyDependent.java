package dev.archipelago.operator.run.dependent;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.spec.StorageEgress;
import dev.archipelago.api.spec.StorageSpec;
import dev.archipelago.operator.run.ChildNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.net.URI;
import java.util.List;

/**
 * Isolates the run's training pods: no ingress at all, egress only to DNS and the object store, as
 * {@code spec.storage.egress} names it (its pods or addresses and ports); without it, an IP
 * endpoint is pinned to that address and a host name, which a NetworkPolicy cannot express, only to
 * its port. {@code egress.enabled: false} removes the policy ({@link StorageEgressCondition}).
 */
@KubernetesDependent(
    informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE))
public class TrainingNetworkPolicyDependent
    extends CRUDKubernetesDependentResource<NetworkPolicy, DDMRun> {

  public TrainingNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(DDMRun run, Context<DDMRun> context) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(ChildNames.networkPolicy(run.getMetadata().getName()))
        .withNamespace(run.getMetadata().getNamespace())
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .addToLabels(Labels.RUN, run.getMetadata().getName())
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels(Labels.RUN, run.getMetadata().getName())
        .addNewMatchExpression()
        .withKey(Labels.ROLE)
        .withOperator("In")
        .withValues(
            Role.ENCODE.label(),
            Role.PARTITION.label(),
            Role.EXPERT.label(),
            Role.ROUTER.label(),
            Role.DISTILL.label())
        .endMatchExpression()
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .withEgress(dns(), storage(run.getSpec().getStorage()))
        .endSpec()
        .build();
  }

  private static NetworkPolicyEgressRule dns() {
    return new NetworkPolicyEgressRuleBuilder()
        .addNewPort()
        .withProtocol("UDP")
        .withPort(new IntOrString(53))
        .endPort()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(53))
        .endPort()
        .build();
  }

  static NetworkPolicyEgressRule storage(StorageSpec storage) {
    URI uri = URI.create(storage.getEndpoint());
    StorageEgress egress = storage.getEgress() == null ? new StorageEgress() : storage.getEgress();
    int endpointPort =
        uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    List<Integer> ports =
        egress.getPorts() == null || egress.getPorts().isEmpty()
            ? List.of(endpointPort)
            : egress.getPorts();
    NetworkPolicyEgressRuleBuilder rule = new NetworkPolicyEgressRuleBuilder();
    ports.forEach(
        p -> rule.addNewPort().withProtocol("TCP").withPort(new IntOrString(p)).endPort());
    if (egress.getCidrs() != null) {
      egress
          .getCidrs()
          .forEach(c -> rule.addNewTo().withNewIpBlock().withCidr(c).endIpBlock().endTo());
    }
    if (egress.getPodSelector() != null || egress.getNamespaceSelector() != null) {
      // One peer with both selectors: those pods in those namespaces, not either.
      rule.addNewTo()
          .withPodSelector(egress.getPodSelector())
          .withNamespaceSelector(egress.getNamespaceSelector())
          .endTo();
    }
    boolean named = rule.hasTo();
    String host = uri.getHost();
    if (!named && host != null && host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      rule.addNewTo().withNewIpBlock().withCidr(host + "/32").endIpBlock().endTo();
    }
    return rule.build();
  }
}
