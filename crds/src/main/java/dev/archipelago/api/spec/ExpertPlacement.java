package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Pins one expert to one ComputeIsland. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExpertPlacement {

  @Required
  @Min(0)
  @Max(63)
  @JsonPropertyDescription("Expert index, 0 to spec.partitioning.experts - 1.")
  private Integer expert;

  @Required
  @Size(max = 253)
  @Pattern(NamePatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the ComputeIsland the expert runs on; one of spec.islands.")
  private String island;

  public ExpertPlacement() {}

  public ExpertPlacement(int expert, String island) {
    this.expert = expert;
    this.island = island;
  }

  public Integer getExpert() {
    return expert;
  }

  public void setExpert(Integer expert) {
    this.expert = expert;
  }

  public String getIsland() {
    return island;
  }

  public void setIsland(String island) {
    this.island = island;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpertPlacement that
        && Objects.equals(expert, that.expert)
        && Objects.equals(island, that.island);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expert, island);
  }
}
