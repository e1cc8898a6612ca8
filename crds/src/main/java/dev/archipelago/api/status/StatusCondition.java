package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * One condition, shaped like metav1.Condition. Our own type (not fabric8's Condition) so that each
 * field carries a description for {@code kubectl explain}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusCondition {

  @JsonPropertyDescription("Ready, Reconciling or Stalled.")
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonPropertyDescription("metadata.generation that this condition was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "RFC 3339 time the status last changed; not moved when only reason or message change.")
  private String lastTransitionTime;

  @JsonPropertyDescription("CamelCase machine-readable cause of the status.")
  private String reason;

  @JsonPropertyDescription("Human-readable details, naming the expert concerned where one is.")
  private String message;

  public StatusCondition() {}

  public StatusCondition(
      String type,
      String status,
      Long observedGeneration,
      String lastTransitionTime,
      String reason,
      String message) {
    this.type = type;
    this.status = status;
    this.observedGeneration = observedGeneration;
    this.lastTransitionTime = lastTransitionTime;
    this.reason = reason;
    this.message = message;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusCondition that
        && Objects.equals(type, that.type)
        && Objects.equals(status, that.status)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, observedGeneration, lastTransitionTime, reason, message);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + ": " + message + ")";
  }
}
