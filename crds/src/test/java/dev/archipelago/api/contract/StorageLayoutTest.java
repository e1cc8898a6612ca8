package dev.archipelago.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StorageLayoutTest {
  private static final String RUN = "runs/demo/quickstart/uid-1/";
  private final StorageLayout layout = new StorageLayout(RUN);

  @Test
  void runPrefixIsPrefixNamespaceNameAndUid() {
    assertThat(StorageLayout.runPrefix("runs", "demo", "quickstart", "uid-1")).isEqualTo(RUN);
    assertThat(StorageLayout.runPrefix("/runs/", "demo", "quickstart", "uid-1")).isEqualTo(RUN);
    assertThat(StorageLayout.runPrefix("", "demo", "quickstart", "uid-1"))
        .isEqualTo("demo/quickstart/uid-1/");
    assertThat(StorageLayout.runPrefix("a/b", "demo", "quickstart", "uid-1"))
        .isEqualTo("a/b/demo/quickstart/uid-1/");
  }

  @Test
  void partitionOutputsLiveUnderPartition() {
    assertThat(layout.clusterShards(3)).isEqualTo(RUN + "partition/clusters/expert-3/");
    assertThat(layout.centroids()).isEqualTo(RUN + "partition/centroids");
    assertThat(layout.clusterSizes()).isEqualTo(RUN + "partition/cluster-sizes.json");
    assertThat(layout.partitionReport()).isEqualTo(RUN + "partition/report.json");
  }

  @Test
  void expertCheckpointsAndProgressLiveUnderTheExpertsIndex() {
    assertThat(layout.expertCheckpoint(5, 2000))
        .isEqualTo(RUN + "experts/5/checkpoints/step-2000/");
    assertThat(layout.expertLatestCheckpoint(5)).isEqualTo(RUN + "experts/5/checkpoints/latest");
    assertThat(layout.expertProgress(5)).isEqualTo(RUN + "experts/5/progress.json");
  }

  @Test
  void routerObjectsMirrorTheExpertsUnderRouter() {
    assertThat(layout.routerCheckpoint(100)).isEqualTo(RUN + "router/checkpoints/step-100/");
    assertThat(layout.routerLatestCheckpoint()).isEqualTo(RUN + "router/checkpoints/latest");
    assertThat(layout.routerProgress()).isEqualTo(RUN + "router/progress.json");
  }

  @Test
  void progressOfATaskIsTheExpertsOrTheRouters() {
    assertThat(layout.progress(Task.expert(2, 1))).isEqualTo(layout.expertProgress(2));
    assertThat(layout.progress(Task.of(Role.ROUTER, 1))).isEqualTo(layout.routerProgress());
    assertThatThrownBy(() -> layout.progress(Task.of(Role.PARTITION, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theStepOfACheckpointFileIsReadFromItsKey() {
    assertThat(StorageLayout.checkpointStep(layout.expertCheckpoint(1, 42) + "model.params"))
        .hasValue(42);
    assertThat(StorageLayout.checkpointStep(layout.expertProgress(1)))
        .isEqualTo(OptionalLong.empty());
  }

  @Test
  void rejectsPrefixesAndIndicesThatWouldEscapeTheRun() {
    assertThatThrownBy(() -> new StorageLayout("no-trailing-slash"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StorageLayout("/absolute/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StorageLayout.runPrefix("p", "demo", "a/b", "uid"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> layout.expertProgress(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
