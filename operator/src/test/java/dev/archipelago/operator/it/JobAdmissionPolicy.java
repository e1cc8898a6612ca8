package dev.archipelago.operator.it;

import static org.awaitility.Awaitility.await;

import dev.archipelago.api.Labels;
import dev.archipelago.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A platform team's admission policy, as a real ValidatingAdmissionPolicy in the test namespace:
 * Jobs of one run are refused with 403, as an organisation's policy (Gatekeeper, Kyverno, a
 * built-in policy) refuses Jobs it does not like.
 */
final class JobAdmissionPolicy {
  static final String MESSAGE = "this Job needs a cost-center label (platform policy)";

  private JobAdmissionPolicy() {}

  /** Creates the policy and its binding, and waits until the API server enforces them. */
  static void denyJobsOfRun(TestCluster cluster, String name, String run) {
    ValidatingAdmissionPolicy policy =
        new ValidatingAdmissionPolicyBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withFailurePolicy("Fail")
            .withNewMatchConstraints()
            .addNewResourceRule()
            .withApiGroups("batch")
            .withApiVersions("v1")
            .withOperations("CREATE")
            .withResources("jobs")
            .endResourceRule()
            .endMatchConstraints()
            .addNewValidation()
            .withExpression(
                "!has(object.metadata.labels)"
                    + " || !('"
                    + Labels.RUN
                    + "' in object.metadata.labels)"
                    + " || object.metadata.labels['"
                    + Labels.RUN
                    + "'] != '"
                    + run
                    + "'")
            .withMessage(MESSAGE)
            .withReason("Forbidden")
            .endValidation()
            .endSpec()
            .build();
    cluster.client().resource(policy).create();
    cluster.client().resource(binding(name, cluster.namespace())).create();
    // The API server's policy cache syncs asynchronously.
    await("the policy enforced")
        .atMost(RunScenario.TIMEOUT)
        .until(() -> refusesProbe(cluster, run));
  }

  static void unbind(TestCluster cluster, String name) {
    cluster.client().resource(binding(name, cluster.namespace())).delete();
  }

  static void delete(TestCluster cluster, String name) {
    unbind(cluster, name);
    cluster.client().resources(ValidatingAdmissionPolicy.class).withName(name).delete();
  }

  private static ValidatingAdmissionPolicyBinding binding(String name, String namespace) {
    return new ValidatingAdmissionPolicyBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withPolicyName(name)
        .withValidationActions("Deny")
        .withNewMatchResources()
        .withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", namespace)
        .endNamespaceSelector()
        .endMatchResources()
        .endSpec()
        .build();
  }

  private static boolean refusesProbe(TestCluster cluster, String run) {
    try {
      cluster
          .client()
          .batch()
          .v1()
          .jobs()
          .resource(
              new JobBuilder()
                  .withNewMetadata()
                  .withName("policy-probe")
                  .addToLabels(Labels.RUN, run)
                  .endMetadata()
                  .withNewSpec()
                  .withNewTemplate()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("c")
                  .withImage("probe")
                  .endContainer()
                  .withRestartPolicy("Never")
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build())
          .dryRun()
          .create();
      return false;
    } catch (KubernetesClientException e) {
      return e.getCode() == 403;
    }
  }
}
