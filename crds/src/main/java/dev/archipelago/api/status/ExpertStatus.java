package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One expert's attempt, placement and progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExpertStatus extends TrainerStatus {

  @JsonPropertyDescription("Expert index, 0 to spec.partitioning.experts - 1.")
  private Integer expert;

  public ExpertStatus() {}

  public ExpertStatus(int expert) {
    this.expert = expert;
  }

  public Integer getExpert() {
    return expert;
  }

  public void setExpert(Integer expert) {
    this.expert = expert;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && Objects.equals(expert, ((ExpertStatus) o).expert);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hashCode(expert);
  }
}
