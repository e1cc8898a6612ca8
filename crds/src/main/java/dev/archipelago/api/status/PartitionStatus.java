package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A run-wide stage: the partition step, or the encode stage before it. Succeeded is durable: it is
 * kept when the stage's Job is deleted, and a lost status rebuilds it from what the stage wrote
 * last to storage (the cluster sizes, the encode report).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartitionStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Suspended.")
  private WorkerPhase phase;

  @JsonPropertyDescription("Why the stage is where it is, for example its failure.")
  private String message;

  public PartitionStatus() {}

  public PartitionStatus(WorkerPhase phase, String message) {
    this.phase = phase;
    this.message = message;
  }

  public WorkerPhase getPhase() {
    return phase;
  }

  public void setPhase(WorkerPhase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionStatus that
        && Objects.equals(phase, that.phase)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, message);
  }
}
