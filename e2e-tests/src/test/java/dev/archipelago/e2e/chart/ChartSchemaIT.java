package dev.archipelago.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm lint and values.schema.json, with the real helm CLI; no cluster needed. */
class ChartSchemaIT {
  private final Helm helm = Helm.offline();

  @Test
  void lintIsCleanWithDefaultAndNamespacedWatchValues() {
    for (String[] values :
        new String[][] {
          {}, {"-f", ChartFiles.ciValues("namespaced-watch-values.yaml").toString()}
        }) {
      String[] args = new String[3 + values.length];
      args[0] = "lint";
      args[1] = "--strict";
      args[2] = ChartFiles.CHART.toString();
      System.arraycopy(values, 0, args, 3, values.length);
      Helm.Result lint = helm.run(args);
      assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
      assertThat(lint.stdout())
          .contains("1 chart(s) linted, 0 chart(s) failed")
          .doesNotContain("[WARNING]")
          .doesNotContain("[ERROR]");
    }
  }

  @ParameterizedTest(name = "{0} is rejected naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicas=two                      | '/replicas': got string, want integer",
        "bogus=1                           | additional properties 'bogus' not allowed",
        "image.typo=x                      | at '/image': additional properties 'typo' not allowed",
        "logLevel=LOUD                     | '/logLevel'",
        "progressPollSeconds=0             | '/progressPollSeconds'",
        "metrics.port=80                   | '/metrics/port'",
        "watchNamespaces[0]=Not_A_Name     | '/watchNamespaces/0'",
        "leaderElection.enabled=yes        | '/leaderElection/enabled': got string, want boolean",
        "metrics.serviceMonitor.scrape=1s  | at '/metrics/serviceMonitor': additional properties"
            + " 'scrape' not allowed",
      })
  void badValuesAreRejectedByTheSchemaNamingTheKey(String set, String message) {
    Helm.Result result =
        helm.run("template", "bad", ChartFiles.CHART.toString(), "--set", set.strip());
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("values don't meet the specifications of the schema")
        .contains(message.strip());
  }

  @Test
  void aComputeIslandWithoutSpecIsRejected() {
    Helm.Result result =
        helm.run(
            "template",
            "bad",
            ChartFiles.CHART.toString(),
            "--set-json",
            "computeIslands=[{\"name\":\"pool-a\"}]");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("'/computeIslands/0': missing property 'spec'");
  }
}
