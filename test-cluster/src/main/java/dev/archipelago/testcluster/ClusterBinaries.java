package dev.archipelago.testcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Locates the control-plane binaries: an explicit directory, or the version-keyed cache that {@code
 * hack/cluster-binaries.sh} fills (building from Go modules on first use).
 */
final class ClusterBinaries {
  static final String BIN_DIR_PROPERTY = "archipelago.test.clusterBin";
  static final String REPO_ROOT_PROPERTY = "archipelago.repo.root";

  private ClusterBinaries() {}

  static Path resolve() {
    String explicit =
        System.getProperty(BIN_DIR_PROPERTY, System.getenv("ARCHIPELAGO_CLUSTER_BIN"));
    if (explicit != null && !explicit.isBlank()) {
      return requireComplete(Path.of(explicit));
    }
    Path script = repoRoot().resolve("hack/cluster-binaries.sh");
    // A no-op when cached; a cold build from Go modules takes many minutes on 2 cores.
    String out = Commands.run(List.of("bash", script.toString()), Map.of(), Duration.ofMinutes(80));
    String[] lines = out.strip().split("\n");
    return requireComplete(Path.of(lines[lines.length - 1].strip()));
  }

  static Path repoRoot() {
    String root = System.getProperty(REPO_ROOT_PROPERTY);
    Path start = Path.of(root != null ? root : "").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("hack/cluster-binaries.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find hack/cluster-binaries.sh above "
            + start
            + "; set -D"
            + BIN_DIR_PROPERTY
            + "=DIR to point at built binaries");
  }

  private static Path requireComplete(Path dir) {
    for (String binary : KwokClusterBackend.BINARIES) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IllegalStateException("missing cluster binary " + dir.resolve(binary));
      }
    }
    return dir;
  }
}
