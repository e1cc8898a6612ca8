package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Maps trainer exit codes to what the operator does about them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExitCodeRule {

  @Required
  @JsonPropertyDescription(
      "Retry: start a new attempt (counts against maxRestarts). Fail: fail the expert at once.")
  private ExitCodeAction action;

  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.all(c, c >= 1 && c <= 255)",
      message = "spec.failurePolicy.exitCodeRules[].exitCodes must be between 1 and 255")
  @JsonPropertyDescription("Container exit codes this rule matches, 1 to 255.")
  private List<Integer> exitCodes = new ArrayList<>();

  public ExitCodeRule() {}

  public ExitCodeRule(ExitCodeAction action, List<Integer> exitCodes) {
    this.action = action;
    this.exitCodes = new ArrayList<>(exitCodes);
  }

  public ExitCodeAction getAction() {
    return action;
  }

  public void setAction(ExitCodeAction action) {
    this.action = action;
  }

  public List<Integer> getExitCodes() {
    return exitCodes;
  }

  public void setExitCodes(List<Integer> exitCodes) {
    this.exitCodes = exitCodes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExitCodeRule that
        && Objects.equals(action, that.action)
        && Objects.equals(exitCodes, that.exitCodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, exitCodes);
  }
}
