package dev.archipelago.e2e.gitops;

import static dev.archipelago.e2e.flow.RunFlow.isTrue;
import static dev.archipelago.e2e.flow.RunFlow.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.api.status.StatusCondition;
import dev.archipelago.e2e.flow.RunFlow;
import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusterExtension;
import dev.archipelago.testfixtures.EmbeddedS3;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kstatus conformance, as assertions on the status transitions real runs go through (recorded from
 * a watch): observedGeneration vs generation, Reconciling while working, Stalled on a permanent
 * failure, Ready when serving; and the Argo CD health check on every one of those statuses.
 */
@ExtendWith(TestClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KstatusConformanceIT {
  private static final ArgoHealth ARGO = ArgoHealth.load();

  /** The versions each run went through, for the checks that follow the scenario. */
  private static final Map<String, List<DDMRun>> RECORDED = new LinkedHashMap<>();

  private static EmbeddedS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new EmbeddedS3();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  @Order(1)
  void statusFollowsKstatusThroughWorkServingAPermanentFailureAndSuspend(TestCluster cluster)
      throws Exception {
    try (KubernetesClient operatorClient =
            new KubernetesClientBuilder().withConfig(cluster.client().getConfiguration()).build();
        RunFlow flow = new RunFlow(cluster, s3).islands(2);
        StatusRecorder recorder = new StatusRecorder(cluster.client())) {
      flow.startOperator(
          operatorClient,
          OperatorConfig.defaults()
              .withProgressPollInterval(Duration.ofMillis(500))
              .withWatchNamespaces(Set.of(cluster.namespace())));
      flow.createRun("serving", 2, "");
      flow.createRun(
          "broken", 2, "  failurePolicy: {exitCodeRules: [{action: Fail, exitCodes: [42]}]}\n");
      flow.createRun("paused", 2, "");

      DDMRun serving = flow.trainToServing("serving", 2);

      flow.completePartition("broken", 2);
      Pod expert0 = flow.awaitRunningPod("broken", Role.EXPERT, 0, 1);
      cluster.pods().fail(expert0.getMetadata().getName(), 42);
      DDMRun broken = flow.awaitRun("broken", "Stalled", r -> isTrue(r, ConditionType.STALLED));

      flow.completePartition("paused", 2);
      flow.awaitRunningPod("paused", Role.EXPERT, 1, 1);
      DDMRun toSuspend =
          cluster
              .client()
              .resources(DDMRun.class)
              .withName("paused")
              // A merge patch, as kubectl or Argo CD would send: no resourceVersion to race the
              // operator's status writes.
              .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
      long suspendedGeneration = toSuspend.getMetadata().getGeneration();
      DDMRun paused =
          flow.awaitRun(
              "paused",
              "Suspended at the new generation",
              r ->
                  r.getStatus().getPhase() == RunPhase.Suspended
                      && r.getStatus().getObservedGeneration() == suspendedGeneration);
      recorder.writeTo(Path.of("target", "recorded-statuses", cluster.namespace()));

      // Ready when serving, and only then.
      assertCurrent(serving);
      assertThat(ARGO.of(serving).status()).isEqualTo("Healthy");
      List<DDMRun> servingHistory = recorder.of("serving");
      assertThat(servingHistory).extracting(r -> phase(r)).contains("Partitioning", "Training");
      for (DDMRun r : servingHistory) {
        if (phase(r).equals("Partitioning") || phase(r).equals("Training")) {
          assertThat(isTrue(r, ConditionType.RECONCILING)).as("Reconciling while working").isTrue();
          assertThat(isTrue(r, ConditionType.READY)).as("not Ready while working").isFalse();
          assertThat(ARGO.of(r).status()).isEqualTo("Progressing");
        }
      }

      // Stalled on a permanent failure, with a message that names the expert.
      assertThat(isTrue(broken, ConditionType.STALLED)).isTrue();
      assertThat(isTrue(broken, ConditionType.RECONCILING)).isFalse();
      assertThat(isTrue(broken, ConditionType.READY)).isFalse();
      assertThat(message(broken, ConditionType.STALLED)).contains("expert 0").contains("42");
      assertThat(broken.getStatus().getObservedGeneration())
          .isEqualTo(broken.getMetadata().getGeneration());
      assertThat(ARGO.of(broken).status()).isEqualTo("Degraded");

      // A spec change is InProgress until observed; suspended is neither working nor stalled,
      // and Ready (reason Suspended) so that waits settle on it.
      assertThat(suspendedGeneration).isGreaterThan(1);
      assertThat(isTrue(paused, ConditionType.RECONCILING)).isFalse();
      assertThat(isTrue(paused, ConditionType.STALLED)).isFalse();
      assertThat(isTrue(paused, ConditionType.READY)).isTrue();
      assertThat(ARGO.of(paused).status()).isEqualTo("Suspended");
      // What the edit returned: the new generation with the status of the old one.
      assertThat(toSuspend.getStatus().getObservedGeneration()).isLessThan(suspendedGeneration);
      assertThat(ARGO.of(toSuspend).status())
          .as("generation %s not yet observed", suspendedGeneration)
          .isEqualTo("Progressing");

      for (String run : List.of("serving", "broken", "paused")) {
        RECORDED.put(run, recorder.of(run));
        assertKstatusInvariants(recorder.of(run));
      }

      // The real tools' verdicts: kstatus from its Go module, Argo CD's check in gopher-lua.
      GitopsVerdicts tools = GitopsVerdicts.build();
      Path work = Path.of("target", "gitops-verdicts", cluster.namespace());
      assertThat(tools.of(List.of(serving, broken, paused), work))
          .extracting(GitopsVerdicts.Verdict::kstatus, GitopsVerdicts.Verdict::argo)
          .containsExactly(
              tuple("Current", "Healthy"),
              tuple("Failed", "Degraded"),
              tuple("Current", "Suspended"));
      assertThat(tools.of(List.of(toSuspend), work).get(0).kstatus())
          .as("an edit not yet observed")
          .isEqualTo("InProgress");
      for (String run : List.of("serving", "broken", "paused")) {
        List<DDMRun> withStatus =
            recorder.of(run).stream().filter(r -> r.getStatus() != null).toList();
        List<GitopsVerdicts.Verdict> verdicts = tools.of(withStatus, work);
        for (int i = 0; i < withStatus.size(); i++) {
          DDMRun r = withStatus.get(i);
          assertThat(verdicts.get(i).argo())
              .as("%s version %s: gopher-lua agrees with luaj", run, i)
              .isEqualTo(ARGO.of(r).status());
          assertThat(verdicts.get(i).kstatus())
              .as("%s version %s: kstatus", run, i)
              .isEqualTo(expectedKstatus(r));
        }
      }
    }
  }

  /** What kstatus must compute from the status conventions the operator follows. */
  private static String expectedKstatus(DDMRun r) {
    if (r.getStatus().getObservedGeneration() < r.getMetadata().getGeneration()
        || isTrue(r, ConditionType.RECONCILING)) {
      return "InProgress";
    }
    if (isTrue(r, ConditionType.STALLED)) {
      return "Failed";
    }
    return isTrue(r, ConditionType.READY) ? "Current" : "InProgress";
  }

  /** Invariants every recorded status must hold, in order. */
  private static void assertKstatusInvariants(List<DDMRun> history) {
    for (DDMRun r : history) {
      if (r.getStatus() == null) {
        continue;
      }
      long generation = r.getMetadata().getGeneration();
      assertThat(r.getStatus().getObservedGeneration()).isNotNull().isLessThanOrEqualTo(generation);
      assertThat(isTrue(r, ConditionType.RECONCILING) && isTrue(r, ConditionType.STALLED))
          .as("Reconciling and Stalled never both True")
          .isFalse();
      if (isTrue(r, ConditionType.READY)) {
        assertThat(isTrue(r, ConditionType.RECONCILING) || isTrue(r, ConditionType.STALLED))
            .as("Ready excludes Reconciling and Stalled")
            .isFalse();
      }
      for (StatusCondition c : r.getStatus().getConditions()) {
        assertThat(c.getObservedGeneration())
            .as("%s observedGeneration", c.getType())
            .isEqualTo(r.getStatus().getObservedGeneration());
      }
    }
  }

  /** kstatus: a condition's lastTransitionTime moves only when its status changes. */
  @Test
  @Order(2)
  void lastTransitionTimeMovesOnlyWhenAConditionsStatusChanges() {
    assertThat(RECORDED).as("run after the conformance test, in the same class").isNotEmpty();
    RECORDED.forEach(
        (run, history) -> {
          Map<String, StatusCondition> last = new HashMap<>();
          for (DDMRun r : history) {
            if (r.getStatus() == null) {
              continue;
            }
            for (StatusCondition c : r.getStatus().getConditions()) {
              StatusCondition before = last.put(c.getType(), c);
              if (before != null && Objects.equals(before.getStatus(), c.getStatus())) {
                assertThat(c.getLastTransitionTime())
                    .as(
                        "%s %s lastTransitionTime with status still %s",
                        run, c.getType(), c.getStatus())
                    .isEqualTo(before.getLastTransitionTime());
              }
            }
          }
        });
  }

  private static void assertCurrent(DDMRun r) {
    assertThat(r.getStatus().getObservedGeneration()).isEqualTo(r.getMetadata().getGeneration());
    assertThat(isTrue(r, ConditionType.READY)).isTrue();
    assertThat(isTrue(r, ConditionType.RECONCILING)).isFalse();
    assertThat(isTrue(r, ConditionType.STALLED)).isFalse();
  }

  private static String phase(DDMRun r) {
    return r.getStatus() == null || r.getStatus().getPhase() == null
        ? ""
        : r.getStatus().getPhase().name();
  }
}
