package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator does when an expert's pod ends without success. Each expert is retried on its
 * own; the others are never touched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailurePolicySpec {

  @Default("3")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Failed attempts retried per expert before it fails and the run is Stalled. Disruptions do"
          + " not count unless countDisruptions is true. Default 3.")
  private Integer maxRestarts = 3;

  @Default("[]")
  @Size(max = 16)
  @ValidationRule(
      value =
          "self.all(a, self.all(b, a.action == b.action"
              + " || a.exitCodes.all(c, !(c in b.exitCodes))))",
      message =
          "spec.failurePolicy.exitCodeRules lists an exit code under two different actions;"
              + " each code may have one action")
  @JsonPropertyDescription(
      "Rules checked in order, the first match wins. Unmatched codes follow the contract: 2"
          + " (bad config) fails at once, 75 (preempted after a checkpoint) retries without"
          + " counting, anything else retries. Default none.")
  private List<ExitCodeRule> exitCodeRules = new ArrayList<>();

  @Default("false")
  @JsonPropertyDescription(
      "Whether disruptions (eviction, preemption, node loss: the pod's DisruptionTarget"
          + " condition or a deleted node) count against maxRestarts. Default false.")
  private Boolean countDisruptions = false;

  @Default("1800")
  @Min(1)
  @JsonPropertyDescription(
      "Seconds a trainer attempt may wait to start (unschedulable, an image that cannot be"
          + " pulled) before the run is Stalled with the scheduler's or kubelet's reason; until"
          + " then the reason is shown while it waits. Default 1800.")
  private Long pendingTimeoutSeconds = 1800L;

  @Default("true")
  @JsonPropertyDescription(
      "Whether an expert whose island cannot run its next attempt (the ComputeIsland deleted or"
          + " not Ready, or the attempt not started within pendingTimeoutSeconds) moves to another"
          + " island of spec.islands that can, resuming from its checkpoint. false: it waits for"
          + " its island. Default true.")
  private Boolean islandFailover = true;

  @Min(0)
  @JsonPropertyDescription(
      "Change this number (for example increment it) to give every Failed expert one more"
          + " attempt now, with its restart count reset; the attempt resumes from the expert's"
          + " latest checkpoint. status.observedRetryNonce shows the last value acted on."
          + " Default unset.")
  private Long retryNonce;

  public Integer getMaxRestarts() {
    return maxRestarts;
  }

  public void setMaxRestarts(Integer maxRestarts) {
    this.maxRestarts = maxRestarts;
  }

  public List<ExitCodeRule> getExitCodeRules() {
    return exitCodeRules;
  }

  public void setExitCodeRules(List<ExitCodeRule> exitCodeRules) {
    this.exitCodeRules = exitCodeRules;
  }

  public Long getPendingTimeoutSeconds() {
    return pendingTimeoutSeconds;
  }

  public void setPendingTimeoutSeconds(Long pendingTimeoutSeconds) {
    this.pendingTimeoutSeconds = pendingTimeoutSeconds;
  }

  public Boolean getIslandFailover() {
    return islandFailover;
  }

  public void setIslandFailover(Boolean islandFailover) {
    this.islandFailover = islandFailover;
  }

  public Long getRetryNonce() {
    return retryNonce;
  }

  public void setRetryNonce(Long retryNonce) {
    this.retryNonce = retryNonce;
  }

  public Boolean getCountDisruptions() {
    return countDisruptions;
  }

  public void setCountDisruptions(Boolean countDisruptions) {
    this.countDisruptions = countDisruptions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailurePolicySpec that
        && Objects.equals(maxRestarts, that.maxRestarts)
        && Objects.equals(exitCodeRules, that.exitCodeRules)
        && Objects.equals(countDisruptions, that.countDisruptions)
        && Objects.equals(pendingTimeoutSeconds, that.pendingTimeoutSeconds)
        && Objects.equals(islandFailover, that.islandFailover)
        && Objects.equals(retryNonce, that.retryNonce);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxRestarts,
        exitCodeRules,
        countDisruptions,
        pendingTimeoutSeconds,
        islandFailover,
        retryNonce);
  }
}
