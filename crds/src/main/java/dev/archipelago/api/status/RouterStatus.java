package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The router's attempt, placement and progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouterStatus extends TrainerStatus {

  @JsonPropertyDescription(
      "Held-out accuracy of picking the right expert, averaged over noise levels, 0 to 1.")
  private Double accuracy;

  public Double getAccuracy() {
    return accuracy;
  }

  public void setAccuracy(Double accuracy) {
    this.accuracy = accuracy;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && Objects.equals(accuracy, ((RouterStatus) o).accuracy);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hashCode(accuracy);
  }
}
