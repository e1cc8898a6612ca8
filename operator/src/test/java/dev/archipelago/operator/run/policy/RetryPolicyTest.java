package dev.archipelago.operator.run.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.spec.FailurePolicySpec;
import dev.archipelago.operator.run.TestRuns;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static FailurePolicySpec policy(String extra) {
    return TestRuns.run(1, List.of("a"), "  failurePolicy: {maxRestarts: 2" + extra + "}\n")
        .getSpec()
        .getFailurePolicy();
  }

  private static JobFailure failure(FailureKind kind, int code) {
    return new JobFailure(kind, OptionalInt.of(code), "detail");
  }

  @Test
  void retriesCountAgainstMaxRestartsUntilTheyAreUsedUp() {
    assertThat(RetryPolicy.decide(policy(""), failure(FailureKind.RETRYABLE, 1), 0).retry())
        .isTrue();
    assertThat(
            RetryPolicy.decide(policy(""), failure(FailureKind.RETRYABLE, 1), 1).countsAsRestart())
        .isTrue();
    RetryPolicy.Decision exhausted =
        RetryPolicy.decide(policy(""), failure(FailureKind.RETRYABLE, 1), 2);
    assertThat(exhausted.retry()).isFalse();
    assertThat(exhausted.reason()).contains("maxRestarts=2");
  }

  @Test
  void disruptionsAndPreemptionsAreFreeEvenWhenRestartsAreUsedUp() {
    RetryPolicy.Decision d =
        RetryPolicy.decide(policy(""), failure(FailureKind.DISRUPTION, 137), 2);
    assertThat(d.retry()).isTrue();
    assertThat(d.countsAsRestart()).isFalse();
    assertThat(d.disruption()).isTrue();
    assertThat(RetryPolicy.decide(policy(""), failure(FailureKind.PREEMPTED, 75), 2).retry())
        .isTrue();
  }

  @Test
  void disruptionsCountWhenThePolicySaysSo() {
    RetryPolicy.Decision d =
        RetryPolicy.decide(
            policy(", countDisruptions: true"), failure(FailureKind.DISRUPTION, 137), 0);
    assertThat(d.countsAsRestart()).isTrue();
    assertThat(
            RetryPolicy.decide(
                    policy(", countDisruptions: true"), failure(FailureKind.DISRUPTION, 137), 2)
                .retry())
        .isFalse();
  }

  @Test
  void aPermanentCodeFailsAtOnceNamingTheCode() {
    RetryPolicy.Decision d = RetryPolicy.decide(policy(""), failure(FailureKind.PERMANENT, 42), 0);
    assertThat(d.retry()).isFalse();
    assertThat(d.reason()).contains("exit code 42");
  }
}
