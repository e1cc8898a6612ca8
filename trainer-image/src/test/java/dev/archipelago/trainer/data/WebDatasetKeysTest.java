package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebDatasetKeysTest {

  @Test
  void splitsAtTheFirstDotOfTheLastPathSegment() {
    assertThat(WebDatasetKeys.key("dir.v1/abc.seg.PNG")).isEqualTo("dir.v1/abc");
    assertThat(WebDatasetKeys.extension("dir.v1/abc.seg.PNG")).isEqualTo("seg.png");
    assertThat(WebDatasetKeys.key("README")).isEqualTo("README");
    assertThat(WebDatasetKeys.extension("README")).isEmpty();
  }
}
