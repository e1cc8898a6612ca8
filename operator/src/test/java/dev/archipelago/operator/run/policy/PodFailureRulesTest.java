package dev.archipelago.operator.run.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.spec.FailurePolicySpec;
import dev.archipelago.operator.run.TestRuns;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodFailureRulesTest {
  private static final Job JOB =
      new JobBuilder().withNewMetadata().withName("j").endMetadata().build();

  private static FailurePolicySpec policy(String rules) {
    return TestRuns.run(1, List.of("a"), "  failurePolicy: {exitCodeRules: " + rules + "}\n")
        .getSpec()
        .getFailurePolicy();
  }

  @Test
  void readsTheFailureKindFromTheRuleIndexTheJobControllerReports() {
    PodFailureRules rules = new PodFailureRules(policy("[{action: Fail, exitCodes: [42]}]"));

    assertThat(
            kind(rules, "Pod ns/p has condition DisruptionTarget matching FailJob rule at index 0"))
        .isEqualTo(FailureKind.DISRUPTION);
    assertThat(
            kind(
                rules,
                "Container trainer for pod ns/p failed with exit code 75 matching FailJob rule at index 1"))
        .isEqualTo(FailureKind.PREEMPTED);
    assertThat(
            kind(
                rules,
                "Container trainer for pod ns/p failed with exit code 42 matching FailJob rule at index 2"))
        .isEqualTo(FailureKind.PERMANENT);
    assertThat(
            kind(
                rules,
                "Container trainer for pod ns/p failed with exit code 1 matching FailJob rule at index 3"))
        .isEqualTo(FailureKind.RETRYABLE);
    assertThat(
            rules
                .classify(
                    TestRuns.ended(
                        JOB,
                        "Failed",
                        "PodFailurePolicy",
                        "Container trainer for pod ns/p failed with exit code 42 matching FailJob rule at index 2"))
                .orElseThrow()
                .exitCode())
        .hasValue(42);
  }

  @Test
  void theFailedPodDecidesBeforeTheJobControllersWording() {
    PodFailureRules rules = new PodFailureRules(policy("[{action: Fail, exitCodes: [42]}]"));
    // A message in words this class does not parse (another Kubernetes version, another reason).
    Job failed = TestRuns.ended(JOB, "Failed", "BackoffLimitExceeded", "the Job failed");

    assertThat(rules.classify(failed, exited(42)).orElseThrow().kind())
        .isEqualTo(FailureKind.PERMANENT);
    assertThat(rules.classify(failed, exited(42)).orElseThrow().exitCode()).hasValue(42);
    assertThat(rules.classify(failed, exited(75)).orElseThrow().kind())
        .isEqualTo(FailureKind.PREEMPTED);
    Pod evicted = exited(137);
    evicted
        .getStatus()
        .setConditions(
            List.of(
                new PodConditionBuilder()
                    .withType("DisruptionTarget")
                    .withStatus("True")
                    .withReason("EvictionByEvictionAPI")
                    .build()));
    assertThat(rules.classify(failed, evicted).orElseThrow().kind())
        .isEqualTo(FailureKind.DISRUPTION);
    Pod deleted = exited(137);
    deleted.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withDeletionTimestamp("2026-12-02T00:00:00Z")
            .build());
    assertThat(rules.classify(failed, deleted).orElseThrow().kind())
        .as("killed after being deleted, e.g. a queue's preemption")
        .isEqualTo(FailureKind.DISRUPTION);
    // The pod went with its node: the Job's condition alone.
    assertThat(rules.classify(failed, null).orElseThrow().kind()).isEqualTo(FailureKind.RETRYABLE);
  }

  private static Pod exited(int code) {
    return new PodBuilder()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("trainer")
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withReason("Error")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void aSucceededPodOfTheJobIsSuccessBeforeTheJobControllerSaysSo() {
    Job job = new JobBuilder().withNewMetadata().withName("j").withUid("u1").endMetadata().build();

    assertThat(PodFailureRules.succeeded(job, pod("u1", "Succeeded"))).isTrue();
    assertThat(PodFailureRules.succeeded(job, pod("u1", "Running"))).isFalse();
    assertThat(PodFailureRules.succeeded(job, null)).isFalse();
    // A pod left from an earlier Job of the same name is not this Job's success.
    assertThat(PodFailureRules.succeeded(job, pod("u0", "Succeeded"))).isFalse();
  }

  private static Pod pod(String ownerUid, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .addNewOwnerReference()
        .withUid(ownerUid)
        .withKind("Job")
        .withName("j")
        .endOwnerReference()
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  @Test
  void aJobWithoutAMatchingRuleIsRetryableAndARunningJobHasNoFailure() {
    PodFailureRules rules = new PodFailureRules(policy("[]"));

    assertThat(kind(rules, "Job has reached the specified backoff limit"))
        .isEqualTo(FailureKind.RETRYABLE);
    assertThat(rules.classify(JOB)).isEmpty();
  }

  @Test
  void retryRulesRemoveContractPermanentCodesAndFailRulesAddCodes() {
    assertThat(PodFailureRules.permanentCodes(policy("[]"))).containsExactly(2);
    assertThat(PodFailureRules.permanentCodes(policy("[{action: Retry, exitCodes: [2]}]")))
        .isEmpty();
    assertThat(PodFailureRules.permanentCodes(policy("[{action: Fail, exitCodes: [3, 9]}]")))
        .containsExactly(2, 3, 9);
  }

  @Test
  void withoutPermanentCodesTheRuleListShrinksAndIndicesStillMapRight() {
    PodFailureRules rules = new PodFailureRules(policy("[{action: Retry, exitCodes: [2]}]"));

    assertThat(rules.podFailurePolicy().getRules()).hasSize(3);
    assertThat(
            kind(
                rules,
                "Container trainer for pod ns/p failed with exit code 2 matching FailJob rule at index 2"))
        .isEqualTo(FailureKind.RETRYABLE);
  }

  private static FailureKind kind(PodFailureRules rules, String message) {
    return rules
        .classify(TestRuns.ended(JOB, "Failed", "PodFailurePolicy", message))
        .orElseThrow()
        .kind();
  }
}
