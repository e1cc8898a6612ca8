package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * What experts and the router share in status: where the current attempt runs, how often it was
 * retried, and the latest progress its trainer reported (see the contract's Progress).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class TrainerStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Suspended.")
  private WorkerPhase phase;

  @JsonPropertyDescription("ComputeIsland the current attempt is placed on.")
  private String island;

  @JsonPropertyDescription("Node the current attempt's pod runs on, once scheduled.")
  private String node;

  @JsonPropertyDescription("Current attempt, from 1; each retry is a new Job.")
  private Integer attempt;

  @JsonPropertyDescription("Failed attempts retried so far (counted against maxRestarts).")
  private Integer restarts;

  @JsonPropertyDescription(
      "Attempts ended by disruptions (eviction, preemption, node loss), not counted unless"
          + " failurePolicy.countDisruptions is true.")
  private Integer disruptions;

  @JsonPropertyDescription("Last optimiser step reported.")
  private Long step;

  @JsonPropertyDescription("Steps the trainer will run in total.")
  private Long totalSteps;

  @JsonPropertyDescription("Smoothed training loss last reported.")
  private Double loss;

  @JsonPropertyDescription("Training throughput last reported, images per second.")
  private Double samplesPerSecond;

  @JsonPropertyDescription(
      "Share of recent training time spent waiting for data (0 to 1); above 0 the pod needs more"
          + " CPU for decoding, or its data is far away.")
  private Double dataWaitFraction;

  @JsonPropertyDescription("Estimated seconds to the last step.")
  private Long etaSeconds;

  @JsonPropertyDescription("Step of the newest complete checkpoint; a retry resumes from it.")
  private Long latestCheckpoint;

  @JsonPropertyDescription("RFC 3339 time of the progress report these figures come from.")
  private String lastProgressTime;

  @JsonPropertyDescription("Why the worker is where it is, for example the last failure.")
  private String message;

  @JsonPropertyDescription(
      "Steps the worker had trained when it succeeded. Success is durable: it outlives the Job."
          + " Raising the step target above it starts a continuation attempt.")
  private Long completedSteps;

  @JsonPropertyDescription(
      "Why a Failed worker failed: PermanentExitCode, or RestartsExhausted (raising"
          + " spec.failurePolicy.maxRestarts gives it more attempts).")
  private String failureReason;

  public WorkerPhase getPhase() {
    return phase;
  }

  public void setPhase(WorkerPhase phase) {
    this.phase = phase;
  }

  public String getIsland() {
    return island;
  }

  public void setIsland(String island) {
    this.island = island;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public Integer getDisruptions() {
    return disruptions;
  }

  public void setDisruptions(Integer disruptions) {
    this.disruptions = disruptions;
  }

  public Long getStep() {
    return step;
  }

  public void setStep(Long step) {
    this.step = step;
  }

  public Long getTotalSteps() {
    return totalSteps;
  }

  public void setTotalSteps(Long totalSteps) {
    this.totalSteps = totalSteps;
  }

  public Double getLoss() {
    return loss;
  }

  public void setLoss(Double loss) {
    this.loss = loss;
  }

  public Double getDataWaitFraction() {
    return dataWaitFraction;
  }

  public void setDataWaitFraction(Double dataWaitFraction) {
    this.dataWaitFraction = dataWaitFraction;
  }

  public Double getSamplesPerSecond() {
    return samplesPerSecond;
  }

  public void setSamplesPerSecond(Double samplesPerSecond) {
    this.samplesPerSecond = samplesPerSecond;
  }

  public Long getEtaSeconds() {
    return etaSeconds;
  }

  public void setEtaSeconds(Long etaSeconds) {
    this.etaSeconds = etaSeconds;
  }

  public Long getLatestCheckpoint() {
    return latestCheckpoint;
  }

  public void setLatestCheckpoint(Long latestCheckpoint) {
    this.latestCheckpoint = latestCheckpoint;
  }

  public String getLastProgressTime() {
    return lastProgressTime;
  }

  public void setLastProgressTime(String lastProgressTime) {
    this.lastProgressTime = lastProgressTime;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Long getCompletedSteps() {
    return completedSteps;
  }

  public void setCompletedSteps(Long completedSteps) {
    this.completedSteps = completedSteps;
  }

  public String getFailureReason() {
    return failureReason;
  }

  public void setFailureReason(String failureReason) {
    this.failureReason = failureReason;
  }

  @Override
  public boolean equals(Object o) {
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    TrainerStatus that = (TrainerStatus) o;
    return Objects.equals(phase, that.phase)
        && Objects.equals(island, that.island)
        && Objects.equals(node, that.node)
        && Objects.equals(attempt, that.attempt)
        && Objects.equals(restarts, that.restarts)
        && Objects.equals(disruptions, that.disruptions)
        && Objects.equals(step, that.step)
        && Objects.equals(totalSteps, that.totalSteps)
        && Objects.equals(loss, that.loss)
        && Objects.equals(samplesPerSecond, that.samplesPerSecond)
        && Objects.equals(dataWaitFraction, that.dataWaitFraction)
        && Objects.equals(etaSeconds, that.etaSeconds)
        && Objects.equals(latestCheckpoint, that.latestCheckpoint)
        && Objects.equals(lastProgressTime, that.lastProgressTime)
        && Objects.equals(message, that.message)
        && Objects.equals(completedSteps, that.completedSteps)
        && Objects.equals(failureReason, that.failureReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        island,
        node,
        attempt,
        restarts,
        disruptions,
        step,
        totalSteps,
        loss,
        samplesPerSecond,
        dataWaitFraction,
        etaSeconds,
        latestCheckpoint,
        lastProgressTime,
        message,
        completedSteps,
        failureReason);
  }
}
