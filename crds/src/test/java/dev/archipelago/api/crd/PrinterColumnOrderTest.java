package dev.archipelago.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archipelago.api.DDMRun;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {

  @Test
  void kubectlShowsPhaseExpertsReadyAgeInThatOrder() {
    String generated =
        String.join(
            "\n",
            "  versions:",
            "  - additionalPrinterColumns:",
            "    - jsonPath: \".metadata.creationTimestamp\"",
            "      name: \"Age\"",
            "    - jsonPath: \".status.conditions\"",
            "      name: \"Ready\"",
            "    - description: \"Experts succeeded / total\"",
            "      jsonPath: \".status.expertsSummary\"",
            "      name: \"Experts\"",
            "    - jsonPath: \".status.phase\"",
            "      name: \"Phase\"",
            "    name: \"v1alpha1\"",
            "");

    String ordered = PrinterColumnOrder.asDeclared(generated, DDMRun.class);

    assertThat(ordered.indexOf("\"Phase\"")).isLessThan(ordered.indexOf("\"Experts\""));
    assertThat(ordered.indexOf("\"Experts\"")).isLessThan(ordered.indexOf("\"Ready\""));
    assertThat(ordered.indexOf("\"Ready\"")).isLessThan(ordered.indexOf("\"Age\""));
    assertThat(ordered)
        .contains(
            "    - description: \"Experts succeeded / total\"\n      jsonPath: \".status.expertsSummary\"");
    assertThat(ordered).endsWith("    name: \"v1alpha1\"\n");
  }
}
