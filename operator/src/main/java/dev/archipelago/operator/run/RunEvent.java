package dev.archipelago.operator.run;

/**
 * Something worth a Kubernetes Event on the run, decided during planning.
 *
 * @param warning Warning rather than Normal
 * @param reason CamelCase reason, e.g. ExpertRestarted
 * @param message human text naming the expert concerned
 */
public record RunEvent(boolean warning, String reason, String message) {
  public static RunEvent normal(String reason, String message) {
    return new RunEvent(false, reason, message);
  }

  public static RunEvent warning(String reason, String message) {
    return new RunEvent(true, reason, message);
  }
}
