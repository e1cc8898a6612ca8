package dev.archipelago.trainer.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** What the server's {@code GET /v1/models} says it loaded (unknown fields ignored). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServedModels(List<Expert> experts, Router router, Integer imageSize) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Expert(int index, Long step) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Router(Long step) {}

  public ServedModels {
    experts = experts == null ? List.of() : List.copyOf(experts);
  }
}
