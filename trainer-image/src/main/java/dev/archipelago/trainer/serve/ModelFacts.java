package dev.archipelago.trainer.serve;

import java.util.List;

/**
 * What the server knows about the models it serves: shown by {@code GET /v1/models} and used to
 * validate requests.
 *
 * @param expertSteps the checkpoint step each expert's weights come from
 * @param routerStep the router's checkpoint step, or null in the expert role
 * @param numClasses classes of a class-conditional model; 0 when unconditional
 */
public record ModelFacts(
    String run, ImageShape shape, List<Long> expertSteps, Long routerStep, int numClasses) {

  public int experts() {
    return expertSteps.size();
  }

  public boolean classConditional() {
    return numClasses > 0;
  }
}
