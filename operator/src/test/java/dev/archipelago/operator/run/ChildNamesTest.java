package dev.archipelago.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildNamesTest {

  @Test
  void shortRunNamesAreKeptReadable() {
    assertThat(ChildNames.expertJob("imagenet", 3, 2)).isEqualTo("imagenet-expert-3-a2");
  }

  @Test
  void theDistillationJobIsNamedByItsAttempt() {
    assertThat(ChildNames.distillationJob("imagenet", 1)).isEqualTo("imagenet-distill-a1");
  }

  @Test
  void longRunNamesFitTheJobNameLabelLimitAndStayDistinct() {
    String a = "a".repeat(80) + "-one";
    String b = "a".repeat(80) + "-two";

    assertThat(ChildNames.expertJob(a, 63, 12))
        .hasSizeLessThanOrEqualTo(63)
        .endsWith("-expert-63-a12");
    assertThat(ChildNames.expertJob(a, 1, 1)).isNotEqualTo(ChildNames.expertJob(b, 1, 1));
  }
}
