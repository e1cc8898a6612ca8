package dev.archipelago.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class NamespaceNamesTest {

  @Test
  void aVeryLongCamelCaseTestMethodNameBecomesAValidShortDns1123Label(TestInfo info) {
    Method method = info.getTestMethod().orElseThrow();

    String name = TestClusterExtension.namespaceFor(Optional.of(method));

    assertThat(name)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .startsWith("t-a-very-long-camel-case-test")
        .hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void twoNamespacesForTheSameTestDiffer(TestInfo info) {
    Optional<Method> method = info.getTestMethod();

    assertThat(TestClusterExtension.namespaceFor(method))
        .isNotEqualTo(TestClusterExtension.namespaceFor(method));
  }
}
